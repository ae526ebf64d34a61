using BenchmarkDotNet.Running;
using Conflict409.Benchmarks;

// `-- --heap N` measures the managed heap that N registered users take; `-- --alloc N [port]` the bytes the server
// allocates per registration; anything else goes to BenchmarkDotNet.
if (args is ["--heap", var count])
{
    HeapPerUser.Measure(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--alloc", var requests, .. var rest])
{
    AllocationsPerRequest.Measure(
        int.Parse(requests, System.Globalization.CultureInfo.InvariantCulture),
        rest is [var port] ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : 5302);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmarks).Assembly).Run(args);
