#!/usr/bin/env python3
"""Attributes the samples of a `perf script` text (the server's CPU profile) to the features of POST /register's path.
  profile.py PERF_SCRIPT_TEXT [CPU µs per request]          the table (µs/request when the CPU figure is given)
  profile.py PERF_SCRIPT_TEXT --show ROW [N]                 N (default 5) condensed stacks owned by that row

Owner of a sample: walking its stack from the leaf, the first frame that matches a FEATURES pattern (in the list's
order when one frame matches several). So each sample counts once (the rows sum to 100 %), a middleware owns only
what runs in its own frames and in what it calls that no other row claims, and an async continuation (e.g. the
progress recorder's code after `await next(context)`, which runs on top of the handler's completing frames) goes to
the code that actually runs, where a "frame on the stack minus the next stage's frame" rule would lose it. Library
code with no row of its own (System.Private.CoreLib, Npgsql, TLS, sockets under a feature, the runtime's allocation
and GC helpers in libcoreclr, the kernel) is charged to the feature that called it. Samples with no feature frame
go to the LAYERS (Kestrel and hosting; Npgsql and TLS resumed from the socket) the same way, and the rest to the FALLBACKS (first match anywhere
in the stack, or on the thread's name).
Limits: a method that ends in a tail call (e.g. the idempotency filter's `return next(context)` when a request has
no key, several app middlewares) leaves no frame under what it calls: only its own instructions (the leaf) count.
A stack through libc's send/recv ends there (no frame pointers): those syscalls cannot be given to a caller.
Managed frames are matched on "[Assembly] Type::Method" (not the argument types); native and unresolved frames on
"symbol (library path)", so e.g. `libclrjit\\.so` or a ReadyToRun image's path match.
"""
import collections
import re
import sys

# (row, pattern): the features of the registration path, matched leaf-first. Add a row here to split one out.
FEATURES = [
    ("JIT (libclrjit)", r"libclrjit\.so"),
    ("request timeout", r"Microsoft\.AspNetCore\.Http\.Timeouts\."),
    ("rate limiter", r"Microsoft\.AspNetCore\.RateLimiting\.|System\.Threading\.RateLimiting\."
                     r"|Conflict409\.Api\.Clients\.(ClientAddress|ClientRateLimit|ExactRateLimiter|Exact\w*Limiter)"
                     r"|Conflict409\.Api\.Catalog\.CatalogRateLimit"),
    ("validation filter", r"Microsoft\.AspNetCore\.Http\.Validation\.|Microsoft\.Extensions\.Validation"),
    ("progress recorder and grader", r"Conflict409\.Api\.Progress\.|ProgressLog|Judge(`\d+)?(\[[^\]]*\])?::"),
    ("idempotency filter", r"Conflict409\.Api\.Idempotency\."),
    ("username rules, skeleton", r"Conflict409\.Api\.Users\.(Username|ValidUsername)"),
    ("user store, ordered index", r"Conflict409\.Api\.Storage\."),
    ("registration handler", r"Conflict409\.Api\.Users\."),
    ("JSON (System.Text.Json)", r"System\.Text\.Json\.|Http(Request|Response)JsonExtensions|JsonSerializerExtensions"),
    ("problem details, exception handler", r"Microsoft\.AspNetCore\.Diagnostics\.|ProblemDetails|ProblemHttpResult"
                                           r"|Conflict409\.Api\.Problems\."),
    ("other app middleware (instance, proxies, conns, UTF-8, swagger, shop)", r"Conflict409\.Api\."),
    ("hosting diagnostics, logging, metrics", r"HostingApplicationDiagnostics|System\.Diagnostics\.(Activity|Metrics)"
                                              r"|DiagnosticSource|Microsoft\.Extensions\.Logging|BeginScope"),
    ("routing, endpoint plumbing, DI", r"Microsoft\.AspNetCore\.Routing\.|RequestDelegateFactory|ExecuteHandlerHelper"
                                       r"|lambda_method|Anonymously Hosted DynamicMethods|EndpointFilterInvocationContext"
                                       r"|Microsoft\.AspNetCore\.Http\.HttpResults\.|Microsoft\.Extensions\.DependencyInjection"),
]
# (row, pattern): the server's layers under the features, matched leaf-first only in samples with no feature frame:
# a feature's reads of request headers or writes to the response body (Kestrel's code) are the feature's cost.
LAYERS = [
    ("Kestrel, HTTP parsing, hosting", r"Microsoft\.AspNetCore\.Server\.Kestrel|Microsoft\.AspNetCore\.Hosting\."
                                       r"|Microsoft\.AspNetCore\.Http\.Default|Microsoft\.AspNetCore\.Http\.Features"),
    # An awaited database read resumes from the socket's completion: Npgsql's own continuations run before the
    # store's (or the progress log's) frame is back on the stack. libssl/libcrypto stacks end unresolved.
    ("Npgsql outside a feature frame (resumed reads)", r"Npgsql"),
    ("TLS (SslStream, libssl, libcrypto: the PostgreSQL connection)", r"System\.Net\.Security|libssl\.so|libcrypto\.so"),
]
# (row, pattern, where: "stack" or "thread"): samples with no feature frame, first match wins.
FALLBACKS = [
    ("JIT (libclrjit)", r"^\.NET Tiered Com", "thread"),
    ("GC (background GC thread)", r"^\.NET (BGC|Server GC|GC)", "thread"),
    ("sockets, pipelines, thread pool", r"System\.Net\.Sockets|System\.IO\.Pipelines|ThreadPool|Sockets\.dll", "stack"),
    # libc has no frame pointers: a stack through send/recv ends there, its managed caller unknown.
    ("socket send/recv (stack ends in libc: caller unknown)",
     r"^(__send|__libc_send|__libc_recv|__recv|sendmsg|recvmsg|__GI___pthread_(en|dis)able_asynccancel)\S* \(.*libc\.so", "stack"),
    ("scheduler: waits, yields, wake-ups (kernel)", r"^(schedule|__schedule|do_sched_yield|futex_|try_to_wake_up)\S* \(\[kernel", "stack"),
    ("kernel, other", r"\[kernel\.kallsyms\]", "stack"),
    ("runtime (libcoreclr)", r"libcoreclr\.so", "stack"),
    ("other", r"", "stack"),
]

managed = re.compile(r"\[([^\]]+)\] (\S+?::[^(]+)\(")
native = re.compile(r"^[0-9a-f]+ (.*)$")
features = [(row, re.compile(p)) for row, p in FEATURES]
layers = [(row, re.compile(p)) for row, p in LAYERS]
fallbacks = [(row, re.compile(p), where) for row, p, where in FALLBACKS]


def frame_name(line):
    m = managed.search(line)
    if m:
        return f"[{m.group(1)}] {m.group(2)}"
    m = native.match(line)
    return m.group(1) if m else line


def samples(path):
    header, frames = None, []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if header is not None:
                    yield header, frames
                header, frames = None, []
            elif line[0] in " \t":
                frames.append(frame_name(line.strip()))
            else:
                header, frames = line.rstrip("\n"), []
    if header is not None:
        yield header, frames


def owner(header, frames):
    for tier in (features, layers):
        for name in frames:
            for row, pattern in tier:
                if pattern.search(name):
                    return row
    for row, pattern, where in fallbacks:
        if where == "thread" and pattern.search(header):
            return row
        if where == "stack" and any(pattern.search(name) for name in frames):
            return row
    return "other"


def leaf_kind(frames):
    leaf = frames[0] if frames else ""
    return "kernel" if "[kernel.kallsyms]" in leaf else "coreclr" if "libcoreclr.so" in leaf else ""


def table(path, us_per_request):
    count, kind = collections.Counter(), collections.Counter()
    n = 0
    for header, frames in samples(path):
        n += 1
        row = owner(header, frames)
        count[row] += 1
        kind[row, leaf_kind(frames)] += 1
    if not n:
        sys.exit("no samples")
    rows = list(dict.fromkeys([r for r, _ in FEATURES + LAYERS] + [r for r, _, _ in FALLBACKS]))
    width = max(len(r) for r in rows)
    us = (lambda c: f"{us_per_request * c / n:.2f}") if us_per_request else (lambda c: "")
    print(f"| {'feature (owner: leaf-most matching frame)':<{width}} | samples % | µs/request | of which kernel µs"
          f" | of which libcoreclr µs |")
    print(f"| {'---':<{width}} | ---: | ---: | ---: | ---: |")
    for row in rows:
        if count[row] or any(row == r for r, _ in FEATURES):
            print(f"| {row:<{width}} | {100 * count[row] / n:6.1f} | {us(count[row]):>7} | {us(kind[row, 'kernel']):>7}"
                  f" | {us(kind[row, 'coreclr']):>7} |")
    print(f"| {'total':<{width}} | {100.0:6.1f} | {us(n):>7} | {us(sum(kind[r, 'kernel'] for r in rows)):>7}"
          f" | {us(sum(kind[r, 'coreclr'] for r in rows)):>7} |")
    print(f"samples: {n}; JIT (libclrjit frames or the tiered compilation thread): {100 * count['JIT (libclrjit)'] / n:.1f} %"
          " of them (more than ~1 % means the warm-up was too short)")


def show(path, row, limit):
    shown = 0
    for header, frames in samples(path):
        if owner(header, frames) != row:
            continue
        print(header)
        # The leaf, then only the frames some row matches (the path through the features), root last.
        keep = [frames[0]] + [f for f in frames[1:] if any(p.search(f) for _, p in features + layers)] if frames else []
        for name in keep:
            print("    " + re.sub(r"\[[^\]]+\] ", "", name)[:150])
        print()
        shown += 1
        if shown >= limit:
            break


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[2] == "--show":
        show(sys.argv[1], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 5)
    elif len(sys.argv) in (2, 3):
        table(sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else None)
    else:
        sys.exit(__doc__)
