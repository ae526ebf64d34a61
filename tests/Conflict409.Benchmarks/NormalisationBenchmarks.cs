using BenchmarkDotNet.Attributes;
using Conflict409.Api.Users;

namespace Conflict409.Benchmarks;

/// <summary>The per-request username work: folding to a key and checking the rules.</summary>
[MemoryDiagnoser]
public class NormalisationBenchmarks
{
    [Params("new_user_42", "New_User_42", "ｎｅｗ＿ｕｓｅｒ＿４２", "Zoë.Smith-2")]
    public string Username { get; set; } = "";

    [Benchmark(Description = "UsernameKey.From")]
    public UsernameKey Key() => UsernameKey.From(Username);

    [Benchmark(Description = "UsernameRules.FindViolation")]
    public string? Rules() => UsernameRules.FindViolation(Username);
}
