using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Conflict409.Api.Progress;
using RaceOutcome = Conflict409.Api.Races.RaceOutcome;
using Conflict409.Client;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// A class on one server as shipped: thirty learners, each at its own address with its own Learner name, run the
/// bundled tour at the same time while a bystander keeps reading a user. Counts are exact; the wall time and the
/// bystander's latencies are reported (in the test output and artifacts/simulated-class.txt), never asserted.
/// </summary>
public sealed partial class SimulatedClassTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    private const int Learners = 30;

    [GeneratedRegex(@"race_[0-9a-f]{8}")]
    private static partial Regex RaceName();

    [Fact]
    public async Task Thirty_learners_touring_at_once_all_recover_with_no_mistake_no_5xx_and_labs_of_their_own()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var learners = Enumerable.Range(1, Learners)
            .Select(n => (Name: $"learner{n:00}", Address: server.NextLearnerAddress(), Output: new StringWriter()))
            .ToArray();
        var serverErrors = 0;
        using var stopBystander = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var bystander = ReadJohnDoeUntilStoppedAsync(server.NextLearnerAddress(), stopBystander.Token);

        var clock = Stopwatch.StartNew();
        var exitCodes = await Task.WhenAll(learners.Select(async learner =>
        {
            using var http = server.ClientFrom(learner.Address, learner.Name, onResponse: response =>
            {
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref serverErrors);
                }
            });
            return await new Tour(new Conflict409Client(http), learner.Output).RunAsync(cancellation);
        }));
        var wallTime = clock.Elapsed;
        await stopBystander.CancelAsync();
        var latencies = await bystander;

        exitCodes.Should().AllSatisfy(code => code.Should().Be(0), "every learner's tour recovered every lesson");
        serverErrors.Should().Be(0);
        foreach (var learner in learners)
        {
            using var client = server.ClientFrom(learner.Address, learner.Name);
            var board = (await client.GetFromJsonAsync<ProgressBoard>("/progress", cancellation))!;
            board.Learner.Should().Be(learner.Name);
            board.Lessons.Where(lesson => lesson.State != LessonStates.NotGraded).Should().AllSatisfy(lesson =>
            {
                lesson.State.Should().Be(LessonStates.Recovered, $"{learner.Name}'s {lesson.Id}\n{learner.Output}");
                lesson.Mistakes.Should().BeEmpty();
            });
        }

        // Each learner's lab holds its own race, and no one else's.
        var races = learners.Select(learner => RaceName().Match(learner.Output.ToString()).Value).ToArray();
        races.Should().OnlyHaveUniqueItems().And.NotContain(string.Empty);
        for (var index = 0; index < Learners; index++)
        {
            using var client = server.ClientFrom(learners[index].Address, learners[index].Name);
            (await client.GetFromJsonAsync<RaceOutcome>($"/lab/races/{races[index]}", cancellation))!.NaiveCopies.Should().BeGreaterThan(1);
            var neighbour = races[(index + 1) % Learners];
            (await client.GetFromJsonAsync<RaceOutcome>($"/lab/races/{neighbour}", cancellation))!.NaiveCopies.Should().Be(0,
                "another learner's naive list is theirs");
        }

        Report(wallTime, latencies);
    }

    private async Task<List<TimeSpan>> ReadJohnDoeUntilStoppedAsync(string address, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        using var client = server.ClientFrom(address);
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync("/users/john_doe", stop);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started));
        }

        return latencies;
    }

    private static void Report(TimeSpan wallTime, List<TimeSpan> latencies)
    {
        latencies.Sort();
        TimeSpan Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        var line = $"Simulated class: {Learners} learners touring at once in {wallTime.TotalSeconds:0.0} s; bystander " +
            $"GET /users/john_doe ×{latencies.Count}: p50 {Percentile(0.50).TotalMilliseconds:0.0} ms, " +
            $"p99 {Percentile(0.99).TotalMilliseconds:0.0} ms, max {latencies[^1].TotalMilliseconds:0.0} ms";
        TestContext.Current.SendDiagnosticMessage(line);
        if (Environment.GetEnvironmentVariable("CONFLICT409_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            Directory.CreateDirectory(artifacts);
            File.WriteAllText(Path.Combine(artifacts, "simulated-class.txt"), line + Environment.NewLine);
        }
    }
}
