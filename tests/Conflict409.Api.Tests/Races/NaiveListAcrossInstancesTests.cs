using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Races;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Races;

/// <summary>
/// Issue #21: with Store=PostgreSql every instance once kept naive lists of its own, so lesson 6 raced across two
/// instances showed two half-races instead of one. The naive lists now live in the database, still check-then-act:
/// the race between two processes on one store (lesson 5's setting) is real, and visible from either.
/// </summary>
public sealed class NaiveListAcrossInstancesTests
{
    private const string Learner = "127.0.0.2";
    private const string Neighbour = "127.0.0.3";
    private const int Racers = 20;
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_naive_race_sent_half_to_each_instance_adds_every_copy_to_one_list_seen_from_both_while_register_accepts_one()
    {
        TestStore.SkipUnlessPostgres();
        var clock = new ObservedClock();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database).WithServices(services => services.AddSingleton<TimeProvider>(clock));
        await using var second = Conflict409App.OnDatabase(database).WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();
        HttpClient Either(int i) => i % 2 == 0 ? onFirst : onSecond;

        // Every racer, on either instance, has passed the check before the shared clock lets any of them add.
        var naive = Concurrently.RunAsync(Racers, async i =>
        {
            using var response = await Either(i).SendAsync(RegisterNaively("across_instances", thinkTimeMs: 300));
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<NaiveRegistrationResponse>());
        });
        await clock.DelaysStartedAsync(Racers, ThinkTime);
        clock.Advance(ThinkTime);
        var naiveAnswers = await naive;
        var atomicStatuses = await Concurrently.SendAsync(Racers, i => Either(i).RegisterAsync("across_instances"));

        naiveAnswers.Should().OnlyContain(answer => answer.StatusCode == HttpStatusCode.Created, "every racer passed the check before any added");
        naiveAnswers.Select(answer => answer.Body!.Copies).Should().BeEquivalentTo(
            Enumerable.Range(1, Racers), "the adds of both instances went to one list, each counting the copies before it");
        atomicStatuses.Count(status => status == HttpStatusCode.Created).Should().Be(1);
        atomicStatuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(Racers - 1);
        var expected = new RaceOutcome("across_instances", NaiveCopies: Racers, Registered: true);
        (await onFirst.GetFromJsonAsync<RaceOutcome>("/lab/races/across_instances")).Should().Be(expected);
        (await onSecond.GetFromJsonAsync<RaceOutcome>("/lab/races/across_instances")).Should().Be(expected);
    }

    [Fact]
    public async Task One_clients_DELETE_on_one_instance_empties_its_list_on_both_and_leaves_another_clients_list_whole()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database).OnRealSockets();
        await using var second = Conflict409App.OnDatabase(database).OnRealSockets();
        using var learnerOnFirst = first.ClientFrom(Learner);
        using var learnerOnSecond = second.ClientFrom(Learner);
        using var neighbourOnFirst = first.ClientFrom(Neighbour);
        using var neighbourOnSecond = second.ClientFrom(Neighbour);
        (await learnerOnFirst.SendAsync(RegisterNaively("shared_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await neighbourOnSecond.SendAsync(RegisterNaively("shared_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);
        using var seenFromSecond = await learnerOnSecond.SendAsync(RegisterNaively("shared_name", thinkTimeMs: 0));

        using var cleared = await learnerOnSecond.DeleteAsync("/naive/names");
        using var addedAgain = await learnerOnFirst.SendAsync(RegisterNaively("shared_name", thinkTimeMs: 0));

        (await seenFromSecond.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type
            .Should().Be("/problems/username-taken", "the learner's list is one list, whichever instance checks it");
        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await addedAgain.Content.ReadFromJsonAsync<NaiveRegistrationResponse>())!.Copies
            .Should().Be(1, "the DELETE sent to the second instance emptied the list the first one adds to");
        (await neighbourOnFirst.GetFromJsonAsync<RaceOutcome>("/lab/races/shared_name"))!.NaiveCopies
            .Should().Be(1, "the learner's DELETE emptied only the learner's list");
        (await neighbourOnSecond.GetFromJsonAsync<RaceOutcome>("/lab/races/shared_name"))!.NaiveCopies.Should().Be(1);
    }

    [Fact]
    public async Task A_clients_capacity_counts_its_names_added_on_every_instance()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database).WithSetting("RaceLab:NaiveCapacity", "2");
        await using var second = Conflict409App.OnDatabase(database).WithSetting("RaceLab:NaiveCapacity", "2");
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();
        (await onFirst.SendAsync(RegisterNaively("first_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await onSecond.SendAsync(RegisterNaively("second_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await onFirst.SendAsync(RegisterNaively("third_name", thinkTimeMs: 0));
        using var emptied = await onSecond.DeleteAsync("/naive/names");
        using var admitted = await onFirst.SendAsync(RegisterNaively("third_name", thinkTimeMs: 0));

        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Detail.Should().Be("Your naive name list is full (RaceLab:NaiveCapacity). DELETE /naive/names empties it.");
        problem.Instance.Should().Be("/naive/register");
        emptied.StatusCode.Should().Be(HttpStatusCode.NoContent);
        admitted.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
