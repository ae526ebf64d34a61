using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using Conflict409.Client;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Lesson 6 at the shipped defaults (issue #20): the README's <c>race</c> command, a script's burst of raw racers
/// from one address, and learners who each race in a list of their own.
/// </summary>
public sealed partial class RaceAsShippedTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    // appsettings.json: Fairness:ConnectionsPerClient.
    private const int ConnectionsPerClient = 32;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^  POST /naive/register \(deliberately wrong\)\s+(\d+)\s+(\d+)\s+(\d+)  (\d+) cop(?:y|ies) in your naive list$", RegexOptions.Multiline)]
    private static partial Regex NaiveRow();

    [Fact]
    public async Task The_READMEs_race_command_with_100_racers_prints_its_counted_rows_and_succeeds()
    {
        var (exitCode, output, errors) = await RunClientAsync("race", "--n", "100", "--server", server.Address.ToString());

        errors.Should().BeEmpty();
        exitCode.Should().Be(0, output);
        output.Should().MatchRegex(@"^Race: 100 registrations of race_[0-9a-f]{8} to each endpoint, 32 at once \(the server's connections per client\); naive think time 300 ms");
        output.Should().Contain("  POST /register                                1    99      0  1 user");
        var naive = NaiveRow().Match(output);
        naive.Success.Should().BeTrue(output);
        var created = int.Parse(naive.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        created.Should().BeInRange(2, ConnectionsPerClient, "the racers in flight together all pass the check");
        int.Parse(naive.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture).Should().Be(100 - created);
        naive.Groups[3].Value.Should().Be("0", "every racer got a 201 or a 409: none was refused");
        naive.Groups[4].Value.Should().Be(naive.Groups[1].Value, "the naive list holds one copy per 201");
    }

    [Fact]
    public async Task The_client_races_200_from_one_address_and_every_racer_gets_a_201_or_a_409()
    {
        using var http = server.ClientFrom(server.NextLearnerAddress());

        var report = await new Conflict409Client(http).RaceAsync(200, cancellationToken: Cancellation);

        report.Should().NotBeNull();
        report!.Plan.Connections.Should().Be(ConnectionsPerClient);
        var naiveCreated = RaceReport.Count(report.Naive, HttpStatusCode.Created);
        naiveCreated.Should().BeInRange(2, ConnectionsPerClient);
        RaceReport.Count(report.Naive, HttpStatusCode.Conflict).Should().Be(200 - naiveCreated);
        RaceReport.Count(report.Atomic, HttpStatusCode.Created).Should().Be(1);
        RaceReport.Count(report.Atomic, HttpStatusCode.Conflict).Should().Be(199);
        report.Outcome.Should().Be(new RaceOutcome(report.Plan.Username, naiveCreated, true));
    }

    [Fact]
    public async Task A_hundred_racers_each_on_its_own_connection_from_one_address_each_get_an_answer()
    {
        // As the issue's Python threads did: one connection per racer, all open at once.
        var address = server.NextLearnerAddress();
        var racers = Enumerable.Range(0, 100).Select(_ => server.ClientFrom(address)).ToList();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var answers = racers.Select(async racer =>
            {
                await start.Task;
                using var response = await racer.PostAsJsonAsync("/naive/register", new { username = "threaded_race" }, Cancellation);
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? await response.Content.ReadFromJsonAsync<Problem>(Cancellation)
                    : null;
                return (response.StatusCode, problem?.Type, response.Headers.RetryAfter?.Delta, response.Headers.ConnectionClose);
            }).ToList();
            start.SetResult();
            var answered = await Task.WhenAll(answers);
            // Asked over a served racer's connection: a new one from this address would be over the cap while they are open.
            var served = racers[Array.FindIndex(answered, answer => answer.StatusCode == HttpStatusCode.Created)];
            var held = await served.GetFromJsonAsync<RaceOutcome>("/lab/races/threaded_race", Cancellation);

            var created = answered.Count(answer => answer.StatusCode == HttpStatusCode.Created);
            var conflicts = answered.Count(answer => answer.StatusCode == HttpStatusCode.Conflict);
            var refused = answered.Where(answer => answer.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
            (created + conflicts).Should().Be(ConnectionsPerClient, "the connections within the cap are served");
            created.Should().BeGreaterThanOrEqualTo(2);
            refused.Should().HaveCount(100 - ConnectionsPerClient, "each connection over the cap is answered, not dropped");
            refused.Should().AllSatisfy(answer =>
            {
                answer.Type.Should().Be("/problems/too-many-connections");
                answer.Delta.Should().Be(TimeSpan.FromSeconds(1));
                answer.ConnectionClose.Should().BeTrue();
            });
            held!.NaiveCopies.Should().Be(created);
        }
        finally
        {
            racers.ForEach(racer => racer.Dispose());
        }
    }

    [Fact]
    public async Task A_learners_DELETE_of_the_naive_names_leaves_another_learners_race_as_it_was()
    {
        using var racer = server.ClientFrom(server.NextLearnerAddress());
        using var neighbour = server.ClientFrom(server.NextLearnerAddress());
        var report = await new Conflict409Client(racer).RaceAsync(10, cancellationToken: Cancellation);

        using var cleared = await neighbour.DeleteAsync("/naive/names", Cancellation);
        var after = await racer.GetFromJsonAsync<RaceOutcome>(report!.Plan.OutcomePath, Cancellation);

        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        after!.NaiveCopies.Should().Be(RaceReport.Count(report.Naive, HttpStatusCode.Created)).And.BeGreaterThanOrEqualTo(2);
        (await neighbour.GetFromJsonAsync<RaceOutcome>(report.Plan.OutcomePath, Cancellation))!.NaiveCopies.Should().Be(0);
    }

    [Fact]
    public async Task A_learner_posting_11000_names_fills_only_their_own_naive_list()
    {
        var flooder = server.NextLearnerAddress();
        using var flood = server.ClientFrom(flooder);
        using var neighbour = server.ClientFrom(server.NextLearnerAddress());
        var next = -1;
        var statuses = new List<HttpStatusCode>();

        // Eight connections, well inside the cap, as fast as the server answers.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < 11_000; i = Interlocked.Increment(ref next))
            {
                using var response = await flood.PostAsJsonAsync("/naive/register?thinkTimeMs=0", new { username = $"flood_{i:D5}" }, Cancellation);
                lock (statuses)
                {
                    statuses.Add(response.StatusCode);
                }
            }
        }));
        using var neighbours = await neighbour.PostAsJsonAsync("/naive/register?thinkTimeMs=0", new { username = "neighbours_name" }, Cancellation);

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(1_000, "RaceLab:NaiveCapacity is per client");
        statuses.Count(status => status == HttpStatusCode.InsufficientStorage).Should().Be(10_000);
        neighbours.StatusCode.Should().Be(HttpStatusCode.Created, "the flood filled the flooder's list, not the neighbour's");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunClientAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ShippedServer.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var configuration = typeof(RaceAsShippedTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (var argument in (string[])["run", "--project", "src/Conflict409.Client", "--no-build", "-c", configuration, "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        var output = process.StandardOutput.ReadToEndAsync(Cancellation);
        var errors = process.StandardError.ReadToEndAsync(Cancellation);
        await process.WaitForExitAsync(Cancellation);
        return (process.ExitCode, await output, await errors);
    }
}
