using BenchmarkDotNet.Running;
using Conflict409.Benchmarks;

// `-- --heap N` measures the managed heap that N registered users take; anything else goes to BenchmarkDotNet.
if (args is ["--heap", var count])
{
    HeapPerUser.Measure(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmarks).Assembly).Run(args);
