# SPDX-License-Identifier: GPL-2.0-only
"""The management shell: commands, errors and line editing, as a user types them."""
import re

LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"
BACKSPACE, CTRL_C, CTRL_U = "\x7f", "\x03", "\x15"


def type_line(m, keys):
    """Sends keys then Enter; returns the command output up to the next prompt."""
    m.p.send(keys + "\r")
    m.p.expect_exact("\r\n")  # the editor ends the line on Enter
    m.p.expect_exact("vireo> ")
    return m.p.before.replace("\r", "").strip("\n")


def test_help_lists_every_command_with_a_summary(vireo):
    out = vireo.run("help")
    names = re.findall(r"^  (\S+)\s+\S", out, re.M)
    for cmd in ["help", "version", "echo", "uptime", "reboot", "shutdown", "host", "heap",
                "thread"]:
        assert cmd in names, out


def test_help_for_one_command_shows_its_usage(vireo):
    out = vireo.run("help host")
    assert out.splitlines() == ["host - show and check the host machine", "usage:",
                                "  host info", "  host cpu info", "  host latency",
                                "  host latency reset", "  host latency probe [<us>|off]",
                                "  host selftest [ipi|timer|sched|wake|console|fence|all]"]


def test_version_names_release_and_revision(vireo):
    from conftest import git_rev
    out = vireo.run("version")
    assert re.fullmatch(r"Vireo 0\.1\.0 \(([\w-]+)\) riscv64, built with gcc \S+.*", out), out
    rev = re.search(r"\(([\w-]+)\)", out).group(1)
    assert rev.split("-")[0] == git_rev() or git_rev() == "unknown"


def test_uptime_advances(vireo):
    def ns():
        out = vireo.run("uptime")
        m = re.fullmatch(r"up 0 days, 00:00:\d\d\.\d{3} \((\d+) ns\)", out)
        assert m, out
        return int(m.group(1))
    first = ns()
    second = ns()
    assert 0 < first < second


def test_heap_info_shows_allocator_statistics(vireo):
    out = vireo.run("heap info")
    arena = int(re.search(r"^heap\s+(\d+) KiB arena", out, re.M).group(1))
    used, blocks = map(int, re.search(r"^  used\s+(\d+) bytes in (\d+) blocks", out, re.M)
                       .groups())
    assert arena == 4096
    assert used > 0 and blocks >= 1  # at least the shell thread
    total = int(re.search(r"^pages\s+(\d+) of 4096 bytes", out, re.M).group(1))
    free = int(re.search(r"^  free\s+(\d+) pages", out, re.M).group(1))
    assert 0 < free < total
    # 1 GiB of RAM minus firmware, image and tree: the allocator manages nearly all of it.
    assert total * 4096 > 1000 * 2**20


def test_thread_list_shows_idle_threads_and_the_shell(vireo):
    out = vireo.run("thread list").splitlines()
    assert out[0].split() == ["ID", "NAME", "CPU", "PRIO", "STATE", "RUNTIME-US", "SWITCHES"]
    rows = {r.split()[1]: r.split() for r in out[1:]}
    assert rows["idle/0"][2] == "0" and rows["idle/1"][2] == "1"
    assert rows["shell"][2] == "0" and rows["shell"][4] == "running"


def test_unknown_commands_and_bad_arguments_get_one_line_errors(vireo):
    cases = {
        "frobnicate": "error: unknown command 'frobnicate' (type 'help' for a list)",
        "host": "error: usage: host info (see 'help host')",
        "host bogus": "error: host: unknown subcommand 'bogus' (see 'help host')",
        "host info extra": "error: usage: host info (see 'help host')",
        "heap": "error: usage: heap info (see 'help heap')",
        "heap info 1": "error: usage: heap info (see 'help heap')",
        "heap stats": "error: heap: unknown subcommand 'stats' (see 'help heap')",
        "thread list now": "error: usage: thread list (see 'help thread')",
        "version 2": "error: usage: version (see 'help version')",
        "help nosuch": "error: help: no command 'nosuch' (type 'help' for a list)",
        'echo "open': "error: unterminated quote or trailing backslash",
        "shutdown now": "error: usage: shutdown (see 'help shutdown')",
        "reboot -f": "error: usage: reboot (see 'help reboot')",
    }
    for cmd, err in cases.items():
        assert vireo.run(cmd) == err, cmd
    # ...and the shell is still fine afterwards.
    assert vireo.run("echo ok") == "ok"


def test_quoting_and_several_commands_per_line(vireo):
    assert vireo.run('echo "a  b" c\\ d \'e;f\'') == "a  b c d e;f"
    assert vireo.run("echo one; echo two;; echo three") == "one\ntwo\nthree"


def test_backspace_and_cursor_keys_edit_the_line(vireo):
    # "echp world": move left over " world" and the 'p', fix it to 'o'.
    out = type_line(vireo, "echp world" + LEFT * 6 + BACKSPACE + "o")
    assert out.endswith("world")
    assert "echp" not in vireo.run("echo check")
    # Home/End and Delete: "Xecho abc" -> delete X at the start, append at the end.
    out = type_line(vireo, "Xecho abc" + HOME + DELETE + END + "d")
    assert out.splitlines()[-1] == "abcd"
    # Right arrow past the end does nothing harmful.
    out = type_line(vireo, "echo r" + RIGHT * 3 + "s")
    assert out.splitlines()[-1] == "rs"


def test_history_recalls_previous_lines(vireo):
    vireo.run("echo first entry")
    vireo.run("echo second entry")
    out = type_line(vireo, UP + UP)
    assert out.splitlines()[-1] == "first entry"
    out = type_line(vireo, UP + UP + UP + DOWN)
    # History is now first, second, first (newest last): Up x3 reaches the oldest "first",
    # Down steps forward to "second".
    assert out.splitlines()[-1] == "second entry"


def test_ctrl_c_and_ctrl_u_discard_input(vireo):
    vireo.p.send("echo never" + CTRL_C)
    vireo.p.expect_exact("^C")
    vireo.p.expect_exact("vireo> ")
    out = type_line(vireo, "echo gone" + CTRL_U + "echo kept")
    assert out.splitlines()[-1] == "kept"
