#!/usr/bin/env python3
"""CPU per thread of the side-by-side servers: where each process's CPU goes (JIT, GC, request threads, I/O).

    python3 thread-cpu.py sample > /tmp/threads.txt &        # every 0.5 s, until stopped
    ../shared/peers/side-by-side.sh 10000 5000 200 120 2
    kill %1
    python3 thread-cpu.py report /tmp/threads.txt 30          # CPU seconds in the last 30 s of each server's run

It samples utime + stime of every thread (/proc/PID/task/TID/stat) of each process that is a ListSync jar or the
Socket.IO peer, names each process by its port (SERVER_PORT or PORT in its environment) and, in the report, groups
threads by name with digits folded (C2 CompilerThread0 and 1 -> C# CompilerThread#). A thread that ended before the
window's last sample is missed (the JVM's long-lived threads are not).
"""
import collections
import os
import re
import sys
import time

SERVERS = (b'listsync.jar', b'socketio-server.mjs')


def port_of(pid):
    env = open('/proc/%s/environ' % pid, 'rb').read().split(b'\0')
    for var in env:
        if var.startswith(b'SERVER_PORT=') or var.startswith(b'PORT='):
            return var.split(b'=', 1)[1].decode()
    return pid


def servers():
    found = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            if any(s in open('/proc/%s/cmdline' % pid, 'rb').read() for s in SERVERS):
                found[pid] = port_of(pid)
        except OSError:
            pass
    return found


def sample():
    out = sys.stdout
    while True:
        now = time.time()
        for pid, port in servers().items():
            try:
                tids = os.listdir('/proc/%s/task' % pid)
            except OSError:
                continue
            for tid in tids:
                try:
                    stat = open('/proc/%s/task/%s/stat' % (pid, tid)).read()
                except OSError:
                    continue
                name = stat[stat.index('(') + 1:stat.rindex(')')].replace(' ', '_')
                fields = stat[stat.rindex(')') + 2:].split(' ')
                out.write('%.3f %s:%s %s %d %s\n' % (now, port, pid, tid, int(fields[11]) + int(fields[12]), name))
        out.flush()
        time.sleep(0.5)


def report(path, seconds):
    ticks = collections.defaultdict(dict)  # process -> time -> {tid: (name, ticks)}
    for line in open(path):
        at, process, tid, n, name = line.split()
        ticks[process].setdefault(float(at), {})[tid] = (name, int(n))
    hz = os.sysconf('SC_CLK_TCK')
    for process, by_time in ticks.items():
        times = sorted(by_time)[:-1]  # the last sample may be cut short by the process's end
        if len(times) < 2:
            continue
        end = times[-1]
        start = min(times, key=lambda t: abs(t - (end - seconds)))
        groups = collections.Counter()
        for tid, (name, n) in by_time[end].items():
            groups[re.sub(r'\d+', '#', name)] += (n - by_time[start].get(tid, (name, 0))[1]) / hz
        print('port %s (pid %s): %.1f s of CPU in the %.0f s to its last sample'
              % (*process.split(':'), sum(groups.values()), end - start))
        for group, cpu in groups.most_common(8):
            if cpu >= 0.05:
                print('  %6.2f s  %s' % (cpu, group))


if __name__ == '__main__':
    if sys.argv[1:2] == ['sample']:
        sample()
    elif sys.argv[1:2] == ['report'] and len(sys.argv) == 4:
        report(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit(__doc__)
