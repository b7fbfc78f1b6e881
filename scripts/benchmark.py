#!/usr/bin/env python3
"""The round's speed against Ansible's own floor, on the lab at several sizes.

For each size N (hosts: the four servers and N-4 workstations; ``--switches`` switches)
the lab is resized, then, side by side in one run (the machine is shared and noisy), each
of these is timed ``--runs`` times and the median kept:

- ``ansible all -m ping`` with the project's ansible.cfg (the least any Ansible run can
  cost to touch every host);
- ``ansible all -m setup`` (what a facts-based inventory tool spends only to collect);
- the whole round (``playbooks/maintenance.yml`` through ansible-runner, as a scheduled
  round runs): a first round (an empty state folder: no earlier counter sample, so the
  switches take two samples ``siak_switch_check_first_sample_interval`` apart) and a
  second round (the state of the first one).

It prints, per size, the medians, the ratios round/ping and round/setup, each step's time
(from ansible-runner's play-start events), step 4's deliberate pacing (set apart: its
probes wait on purpose so as never to load a server), the marginal seconds per added host
between sizes, and the admin machine's peak memory during a round (the proportional set
size, PSS, of every process under this one, sampled every 0.2 s); the CPU seconds each
run used, on the whole machine (the lab's hosts and switches share its cores) and in the
admin machine's own processes, and the whole machine's in each step of the round; the CPU
seconds the headline target leaves the round on this machine's cores; each target of
README.md "Speed" with its figure and whether it is met; and writes everything to a JSON
file.

Usage (root, after scripts/setup.sh; the lab is left at the last size, then set back to
the default office with ``--restore``)::

    .venv/bin/python scripts/benchmark.py [--sizes 10,20,50] [--switches 5] [--runs 3]
                                          [--out state/benchmark/results.json] [--restore]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# pylint: disable=wrong-import-position
import ansible.module_utils as _ansible_module_utils  # noqa: E402
import ansible_runner  # noqa: E402

_ansible_module_utils.__path__.append(str(ROOT / "module_utils"))  # as the modules see it

from lab import siaklab  # noqa: E402
from lab.office import DEFAULT_SWITCHES, DEFAULT_WORKSTATIONS, SERVERS_TABLE  # noqa: E402

INVENTORY = ROOT / "inventory" / "lab" / "hosts.yml"
SERVERS = len(SERVERS_TABLE)
ENV = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
           PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
# ansible-runner finds ansible-playbook on this process's own PATH: the venv's bin first, so
# `.venv/bin/python scripts/benchmark.py` works without an activated venv.
os.environ["PATH"] = ENV["PATH"]
STEP_OF_PLAY = (("Langkah 1", "1"), ("Langkah 2", "2"), ("Langkah 3", "3"), ("Langkah 4", "4"), ("Pencatatan", "report"))
TIMEOUT_S = 1800

# The targets README.md "Speed" names (issue: speed and scale).
TARGETS = {
    "second_minus_pacing_over_ping_at_20": 2.5,
    "second_over_setup_plus_pacing": 1.0,
    "first_over_second": 1.5,
    "marginal_round_over_marginal_ping": 2.5,
    "peak_memory_mb_at_50": 1536,
}


class PeakMemory:
    """Samples the PSS of every descendant of this process; ``peak_mb`` after stop()."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    def _run(self):
        me = os.getpid()
        while not self._stop.wait(self.interval):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(me))


def _tree_pss_kb(root_pid: int) -> int:
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[1])
    tree, frontier = set(), {root_pid}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree}
    total = 0
    for pid in tree - {root_pid}:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError, IndexError):
            continue
    return total


def machine_cpu_s() -> float:
    """CPU seconds the whole machine has spent working since boot (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = handle.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def admin_cpu_s() -> float:
    """CPU seconds of this process and of the children it has waited for (ansible, ansible-playbook)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


class CpuUsed:
    """The CPU seconds a block used: ``machine_s`` (every core, the lab's targets included) and
    ``admin_s`` (the admin machine's own processes under this one)."""

    def __enter__(self):
        self._machine, self._admin = machine_cpu_s(), admin_cpu_s()
        return self

    def __exit__(self, *exc):
        self.machine_s = round(machine_cpu_s() - self._machine, 2)
        self.admin_s = round(admin_cpu_s() - self._admin, 2)


def timed_adhoc(module: str) -> dict:
    """Wall and CPU seconds of ``ansible all -m MODULE`` against the lab (it must reach every host)."""
    t0 = time.monotonic()
    with CpuUsed() as cpu:
        proc = subprocess.run(["ansible", "all", "-i", str(INVENTORY), "-m", module, "-o"], env=ENV, cwd=ROOT,
                              capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: ansible all -m {module} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return {"wall_s": round(elapsed, 2), "cpu_s": cpu.machine_s, "admin_cpu_s": cpu.admin_s}


def timed_round(state_dir: Path, report_dir: Path, work: Path) -> dict:
    """One whole round through ansible-runner: wall time, step times, pacing, peak memory."""
    plays = []

    def on_event(event):
        data = event.get("event_data", {})
        if event.get("event") in ("playbook_on_play_start", "playbook_on_stats"):
            plays.append((data.get("play", "") if event["event"] != "playbook_on_stats" else "end", time.monotonic(),
                          machine_cpu_s()))
        return False  # keep no event files: the benchmark measures the round, not the disk

    private = Path(tempfile.mkdtemp(dir=work, prefix="runner-"))
    t0 = time.monotonic()
    with PeakMemory() as memory, CpuUsed() as cpu:
        runner = ansible_runner.run(
            private_data_dir=str(private), project_dir=str(ROOT), playbook=str(ROOT / "playbooks" / "maintenance.yml"),
            inventory=str(INVENTORY), envvars={"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}, quiet=True,
            extravars={"siak_state_dir": str(state_dir), "siak_report_dir": str(report_dir)},
            event_handler=on_event, timeout=TIMEOUT_S)
    wall = time.monotonic() - t0
    if runner.rc != 0:
        raise SystemExit(f"benchmark: the round failed ({runner.status}, rc {runner.rc}):\n{runner.stdout.read()[-3000:]}")
    steps, steps_cpu = step_times(plays)
    results = _newest_results(report_dir)
    return {"wall_s": round(wall, 2), "steps_s": steps, "steps_cpu_s": steps_cpu, "pacing_s": step4_pacing(results),
            "peak_memory_mb": memory.peak_mb, "records": len(results.get("records", [])),
            "cpu_s": cpu.machine_s, "admin_cpu_s": cpu.admin_s,
            "targets": len({r["target"] for r in results.get("records", [])})}


def step_times(plays: list) -> tuple[dict, dict]:
    """Each step's wall seconds and the whole machine's CPU seconds in it, from the plays' start
    marks (play name, monotonic time, machine CPU seconds) and the end mark; a step with two
    plays sums them."""
    steps, cpu = {}, {}
    for (name, start, cpu_start), (_next, end, cpu_end) in zip(plays, plays[1:]):
        step = next((s for prefix, s in STEP_OF_PLAY if name.startswith(prefix)), name)
        steps[step] = round(steps.get(step, 0) + end - start, 2)
        cpu[step] = round(cpu.get(step, 0) + cpu_end - cpu_start, 2)
    return steps, cpu


def cpu_budget(figures: dict, cores: int) -> dict:
    """What the headline target leaves the round on this machine: 2.5 x ping's time less step 4's
    pacing (idle on purpose), times the cores, against the CPU seconds round 2 used. On the lab
    the hosts and switches share the admin machine's cores, so a round whose CPU exceeds the
    budget cannot meet the target however its work is ordered."""
    wall = TARGETS["second_minus_pacing_over_ping_at_20"] * figures["ping_s"]
    return {"wall_s": round(wall, 2), "cores": cores, "cpu_s": round(wall * cores, 1),
            "round2_cpu_s": figures["cpu_s"]["second_round"]["machine"],
            "ping_cpu_s": figures["cpu_s"]["ping"]["machine"]}


def _newest_results(report_dir: Path) -> dict:
    history = json.loads((report_dir / "history.json").read_text(encoding="utf-8"))
    return json.loads((report_dir / history[0]["id"] / "results.json").read_text(encoding="utf-8"))


def step4_pacing(results: dict) -> float:
    """Step 4's deliberate waiting: the busiest address's samples at the module's rate cap.

    Requests to one address start at least MIN_INTERVAL_S apart (module_utils/siak_probe.py),
    whatever probe sends them, so the probes of one measuring machine to one address take at
    least (samples - 1) x MIN_INTERVAL_S seconds. Read from the step-4 records: the item names the
    address (a URL, host:port or host, then " dari <host>" when measured from a workstation)
    and ``details.samples`` the samples sent.
    """
    from ansible.module_utils.siak_probe import MIN_INTERVAL_S

    per_probe = {}
    for rec in results.get("records", []):
        details = rec.get("details") or {}
        if rec.get("step") != 4 or not isinstance(details, dict):
            continue
        samples = details.get("samples", details.get("sent"))  # ping's two records both say "sent"
        if not isinstance(samples, int):
            continue
        item = str(rec.get("item", "")).split(" dari ")[0]
        address = urlsplit(item).hostname if "://" in item else item.split()[1] if item.startswith("ping ") else item.rsplit(":", 1)[0]
        key = (details.get("measured_from", ""), address, details.get("probe", item))
        per_probe[key] = max(per_probe.get(key, 0), samples)
    per_address = {}
    for (source, address, _probe), samples in per_probe.items():
        per_address[(source, address)] = per_address.get((source, address), 0) + samples
    return round(max(((n - 1) * MIN_INTERVAL_S for n in per_address.values()), default=0.0), 2)


def median(values):
    return round(statistics.median(values), 2)


def measure(hosts: int, switches: int, runs: int, work: Path) -> dict:
    siaklab.up(quiet=True, workstations=hosts - SERVERS, switches=switches)
    timed_adhoc("ping")  # warm: SSH masters, the interpreter discovery, caches
    state_root = work / f"state-{hosts}"
    pings, setups, firsts, seconds = [], [], [], []
    for run in range(runs):
        pings.append(timed_adhoc("ping"))
        setups.append(timed_adhoc("setup"))
        state, reports = state_root / f"run{run}", work / f"reports-{hosts}-{run}"
        firsts.append(timed_round(state, reports, work))
        seconds.append(timed_round(state, reports, work))
    second = {step: median([r["steps_s"].get(step, 0) for r in seconds]) for step in seconds[0]["steps_s"]}
    figures = {
        "hosts": hosts, "switches": switches, "runs": runs,
        "ping_s": median([r["wall_s"] for r in pings]), "setup_s": median([r["wall_s"] for r in setups]),
        "first_round_s": median([r["wall_s"] for r in firsts]),
        "second_round_s": median([r["wall_s"] for r in seconds]),
        "second_round_steps_s": second,
        "first_round_steps_s": {step: median([r["steps_s"].get(step, 0) for r in firsts]) for step in firsts[0]["steps_s"]},
        # The whole machine's CPU seconds in each step of round 2 (medians).
        "second_round_steps_cpu_s": {step: median([r["steps_cpu_s"].get(step, 0) for r in seconds])
                                     for step in seconds[0]["steps_cpu_s"]},
        "pacing_s": max(r["pacing_s"] for r in seconds),
        "peak_memory_mb": max(r["peak_memory_mb"] for r in firsts + seconds),
        "records": seconds[-1]["records"], "targets": seconds[-1]["targets"],
        # CPU seconds (medians): the whole machine's, and the admin machine's own processes'.
        "cpu_s": {name: {"machine": median([r["cpu_s"] for r in runs_of]), "admin": median([r["admin_cpu_s"] for r in runs_of])}
                  for name, runs_of in (("ping", pings), ("setup", setups), ("first_round", firsts), ("second_round", seconds))},
        "raw": {"ping_s": pings, "setup_s": setups, "first": firsts, "second": seconds},
    }
    figures["round_over_ping"] = round(figures["second_round_s"] / figures["ping_s"], 2)
    figures["round_over_setup"] = round(figures["second_round_s"] / figures["setup_s"], 2)
    figures["second_minus_pacing_over_ping"] = round((figures["second_round_s"] - figures["pacing_s"]) / figures["ping_s"], 2)
    figures["second_over_setup_plus_pacing"] = round(figures["second_round_s"] / (figures["setup_s"] + figures["pacing_s"]), 2)
    figures["first_over_second"] = round(figures["first_round_s"] / figures["second_round_s"], 2)
    figures["cpu_budget"] = cpu_budget(figures, os.cpu_count() or 1)
    return figures


def marginal(per_size: list) -> dict:
    """Seconds per added host between the smallest and the largest size."""
    if len(per_size) < 2:
        return {}
    small, large = per_size[0], per_size[-1]
    added = large["hosts"] - small["hosts"]
    out = {key: round((large[key] - small[key]) / added, 3) for key in ("ping_s", "setup_s", "second_round_s", "first_round_s")}
    out["round_over_ping"] = round(out["second_round_s"] / out["ping_s"], 2) if out["ping_s"] > 0 else None
    return out


def verdicts(per_size: list, margins: dict) -> list:
    """Each target of README.md "Speed" with the figure it is judged on and whether it is met
    (None: the sizes measured do not include the one it names)."""
    by_hosts = {f["hosts"]: f for f in per_size}
    at20, at50 = by_hosts.get(20), by_hosts.get(50)
    worst = lambda key: max(f[key] for f in per_size)  # noqa: E731  # every size must meet it
    rows = [
        ("(round 2 - pacing) / ping at 20 hosts", at20 and at20["second_minus_pacing_over_ping"],
         TARGETS["second_minus_pacing_over_ping_at_20"]),
        ("round 2 / (setup + pacing), worst size", worst("second_over_setup_plus_pacing"),
         TARGETS["second_over_setup_plus_pacing"]),
        ("round 1 / round 2 (the lab's first-sample interval), worst size", worst("first_over_second"),
         TARGETS["first_over_second"]),
        ("marginal round 2 / marginal ping", margins.get("round_over_ping"), TARGETS["marginal_round_over_marginal_ping"]),
        ("peak memory MB at 50 hosts", at50 and at50["peak_memory_mb"], TARGETS["peak_memory_mb_at_50"]),
    ]
    return [{"target": name, "value": value, "limit": limit, "met": None if value is None else value <= limit}
            for name, value, limit in rows]


def report(per_size: list, margins: dict) -> str:
    lines = ["size              ping   setup  round1  round2  pacing  r2/ping  r2/setup  (r2-pace)/ping  r1/r2  peak MB  records"]
    for f in per_size:
        lines.append(f"{f['hosts']:>3} hosts {f['switches']:>2} sw  {f['ping_s']:>5.1f}  {f['setup_s']:>5.1f}  {f['first_round_s']:>6.1f}"
                     f"  {f['second_round_s']:>6.1f}  {f['pacing_s']:>6.1f}  {f['round_over_ping']:>7.2f}  {f['round_over_setup']:>8.2f}"
                     f"  {f['second_minus_pacing_over_ping']:>14.2f}  {f['first_over_second']:>5.2f}  {f['peak_memory_mb']:>7.0f}"
                     f"  {f['records']:>7}")
        step_cpu = f.get("second_round_steps_cpu_s", {})
        lines.append("          steps of round 2 (wall s / machine CPU s): "
                     + ", ".join(f"{k} {v:.1f}" + (f" / {step_cpu[k]:.1f}" if k in step_cpu else "")
                                 for k, v in f["second_round_steps_s"].items()))
        cpu = f["cpu_s"]
        lines.append(f"          CPU s (whole machine / admin processes): ping {cpu['ping']['machine']:.1f} / {cpu['ping']['admin']:.1f},"
                     f" setup {cpu['setup']['machine']:.1f} / {cpu['setup']['admin']:.1f},"
                     f" round2 {cpu['second_round']['machine']:.1f} / {cpu['second_round']['admin']:.1f}"
                     f" (x{cpu['second_round']['machine'] / max(cpu['ping']['machine'], 0.01):.1f} ping's)")
        budget = f["cpu_budget"]
        lines.append(f"          the headline target leaves {budget['wall_s']:.1f} s besides the pacing: at most {budget['cpu_s']:.1f}"
                     f" CPU s on {budget['cores']} cores; round 2 used {budget['round2_cpu_s']:.1f} (ping {budget['ping_cpu_s']:.1f})")
    if margins:
        lines.append(f"marginal s per added host: ping {margins['ping_s']}, setup {margins['setup_s']}, round2 "
                     f"{margins['second_round_s']} (x{margins['round_over_ping']} ping's), round1 {margins['first_round_s']}")
    lines.append("targets:")
    for row in verdicts(per_size, margins):
        shown = "not measured" if row["value"] is None else f"{row['value']:g}"
        met = {True: "met", False: "NOT met", None: "-"}[row["met"]]
        lines.append(f"  {row['target']:<60} {shown:>12}  <= {row['limit']:<6g} {met}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,20,50", help="host counts, comma-separated (each >= 5)")
    parser.add_argument("--switches", type=int, default=DEFAULT_SWITCHES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "state" / "benchmark" / "results.json")
    parser.add_argument("--restore", action="store_true", help="set the lab back to the default office afterwards")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}")
    if not sizes or sizes[0] < SERVERS + 1 or not 1 <= args.runs <= 10:
        parser.error(f"each size must be at least {SERVERS + 1} (the servers and one workstation); runs 1..10")
    per_size = []
    with tempfile.TemporaryDirectory(prefix="siak-bench-") as tmp:
        for hosts in sizes:
            print(f"benchmark: {hosts} hosts, {args.switches} switches, {args.runs} runs ...", flush=True)
            per_size.append(measure(hosts, args.switches, args.runs, Path(tmp)))
    margins = marginal(per_size)
    text = report(per_size, margins)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                                    "sizes": per_size, "marginal": margins, "targets": TARGETS,
                                    "verdicts": verdicts(per_size, margins)}, indent=1) + "\n",
                        encoding="utf-8")
    print(f"benchmark: figures written to {args.out}")
    if args.restore:
        siaklab.up(quiet=True, workstations=DEFAULT_WORKSTATIONS, switches=DEFAULT_SWITCHES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
