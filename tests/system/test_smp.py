# SPDX-License-Identifier: GPL-2.0-only
"""SMP host machinery through `host selftest`: cross calls, timers, time slicing, wake-ups,
console output."""
import re

import pytest

PAYLOAD = "0123456789abcdefghijklmnopqrstuvwxyz0123456789"
CONSOLE_LINE = re.compile(r"^selftest: console cpu (\d+) line (\d\d) " + PAYLOAD + "$")


def run_selftest(m, which="all"):
    m.p.send("host selftest %s\r" % which)
    m.p.expect(r"selftest: cleanup (PASS|FAIL)[^\r\n]*", timeout=120)
    out = m.p.before + m.p.after
    m.p.expect_exact("vireo> ")
    return out.replace("\r", "")


@pytest.mark.parametrize("smp,extra", [
    (1, []),
    (2, []),
    (4, []),
    (2, ["-cpu", "rv64,sstc=false"]),
])
def test_selftest_passes_on_every_hart(vireo_factory, smp, extra):
    m = vireo_factory(smp=smp, extra=extra)
    m.wait_prompt()
    out = run_selftest(m)
    results = dict(re.findall(r"^selftest: (\w+) (PASS|FAIL)", out, re.M))
    assert results == {"ipi": "PASS", "timer": "PASS", "sched": "PASS", "wake": "PASS",
                       "console": "PASS", "cleanup": "PASS"}, out
    assert "%d cross calls on %d harts, %d answered" % (50 * smp, smp, 50 * smp) in out
    assert "%d of %d same-hart spinner pairs time-sliced" % (smp, smp) in out
    assert "%d of %d wakes from masked code ran at the unmask" % (smp, smp) in out

    # Lines printed by all harts at once are whole: none cut into or mixed with another.
    lines = [l for l in out.split("\n") if "selftest: console cpu" in l]
    assert all(CONSOLE_LINE.match(l) for l in lines), [l for l in lines
                                                       if not CONSOLE_LINE.match(l)]
    seen = {(int(a), int(b)) for a, b in (CONSOLE_LINE.match(l).groups() for l in lines)}
    assert seen == {(c, n) for c in range(smp) for n in range(16)}

    # Every hart took timer interrupts for the sleeps and the time slices.
    cpus = m.run("host cpu info").splitlines()[1:]
    assert len(cpus) == smp
    for row in cpus:
        assert int(row.split()[5]) > 0, row


def test_selftest_rejects_unknown_names(vireo):
    assert vireo.run("host selftest warp") == \
        "error: host: no self test 'warp' (tests: ipi timer sched wake console fence)"


def test_selftest_fence_survives_a_masked_hart(vireo):
    """A G-stage flush while the other hart keeps interrupts masked for 1.5 s: the flush says
    it is not confirmed instead of claiming success, and is confirmed once the hart is back;
    every table page comes back (cleanup)."""
    out = run_selftest(vireo, "fence")
    found = re.search(r"^selftest: fence PASS cpu 1 \(hart (\d)\) masked for 1.5 s: flush "
                      r"unconfirmed yes, pending yes, then confirmed yes$", out, re.M)
    assert found, out
    # The firmware picks the boot hart: logical cpu 1 is whichever hart it is not.
    assert re.search(r"guest selftest-fence: hart %s has not confirmed its G-stage fence"
                     % found.group(1), out), out
    assert re.search(r"^selftest: cleanup PASS", out, re.M), out


def test_one_selftest_by_name(vireo):
    out = run_selftest(vireo, "timer")
    assert re.search(r"^selftest: timer PASS 10 sleeps on 2 harts, none early: yes", out, re.M)
    assert "selftest: ipi" not in out
