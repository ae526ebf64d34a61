using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Races;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Races;

/// <summary>
/// Issue #20: each learner races in a naive list of their own. One learner's DELETE /naive/names once erased a
/// neighbour's race mid-way, and one learner's 11 000 names filled the single list for the whole class (507).
/// </summary>
public sealed class NaiveListPerClientTests
{
    private const string Learner = "127.0.0.2";
    private const string Neighbour = "127.0.0.3";
    private const int Racers = 10;
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task One_clients_DELETE_while_another_races_leaves_the_others_race_whole()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().OnRealSockets().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var racer = app.ClientFrom(Learner);
        using var clearer = app.ClientFrom(Neighbour);
        using var ownName = await clearer.SendAsync(RegisterNaively("clearers_own", thinkTimeMs: 0));

        // The racers are all between check and add when the neighbour empties "the" list.
        var race = Concurrently.SendAsync(Racers, _ => racer.SendAsync(RegisterNaively("raced_name", thinkTimeMs: 300)));
        await clock.DelaysStartedAsync(Racers, ThinkTime);
        using var cleared = await clearer.DeleteAsync("/naive/names");
        clock.Advance(ThinkTime);
        var statuses = await race;

        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        statuses.Should().AllBeEquivalentTo(HttpStatusCode.Created);
        (await racer.GetFromJsonAsync<RaceOutcome>("/lab/races/raced_name"))!.NaiveCopies
            .Should().Be(Racers, "the neighbour's DELETE emptied only the neighbour's list");
        (await clearer.GetFromJsonAsync<RaceOutcome>("/lab/races/clearers_own"))!.NaiveCopies.Should().Be(0, "its own list was emptied");
        (await clearer.GetFromJsonAsync<RaceOutcome>("/lab/races/raced_name"))!.NaiveCopies
            .Should().Be(0, "a client sees its own list, never another's");
    }

    [Fact]
    public async Task One_client_filling_its_list_gets_507_while_another_still_races_and_sees_its_copies()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("RaceLab:NaiveCapacity", "20")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var flooder = app.ClientFrom(Learner);
        using var racer = app.ClientFrom(Neighbour);

        // The flood was 11 000 fresh names against one shared list of 10 000; here, one more than the quota.
        for (var i = 0; i < 20; i++)
        {
            using var added = await flooder.SendAsync(RegisterNaively($"flood_{i:D4}", thinkTimeMs: 0));
            added.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var full = await flooder.SendAsync(RegisterNaively("flood_0020", thinkTimeMs: 0));
        var race = Concurrently.SendAsync(Racers, _ => racer.SendAsync(RegisterNaively("neighbours_race", thinkTimeMs: 300)));
        await clock.DelaysStartedAsync(Racers, ThinkTime);
        clock.Advance(ThinkTime);
        var statuses = await race;

        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Title.Should().Be("The server cannot store more of these.");
        problem.Detail.Should().Be("Your naive name list is full (RaceLab:NaiveCapacity). DELETE /naive/names empties it.");
        problem.Instance.Should().Be("/naive/register");
        statuses.Should().AllBeEquivalentTo(HttpStatusCode.Created, "the neighbour's list has its own quota");
        (await racer.GetFromJsonAsync<RaceOutcome>("/lab/races/neighbours_race"))!.NaiveCopies.Should().Be(Racers);
    }

    [Fact]
    public async Task A_client_beyond_the_lists_kept_gets_507_until_another_clients_list_has_been_idle_long_enough()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("RaceLab:NaiveClients", "1")
            .WithSetting("RaceLab:NaiveIdleTimeout", "00:10:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var first = app.ClientFrom(Learner);
        using var second = app.ClientFrom(Neighbour);
        (await first.SendAsync(RegisterNaively("first_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var refused = await second.SendAsync(RegisterNaively("second_name", thinkTimeMs: 0));
        // A microsecond short, not a tick: PostgreSQL keeps times to the microsecond.
        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMicroseconds(1));
        using var stillRefused = await second.SendAsync(RegisterNaively("second_name", thinkTimeMs: 0));
        clock.Advance(TimeSpan.FromMicroseconds(1));
        using var admitted = await second.SendAsync(RegisterNaively("second_name", thinkTimeMs: 0));

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Detail.Should().Be(
            "The race lab keeps naive name lists for as many clients as RaceLab:NaiveClients allows, and all of them were " +
            "used within RaceLab:NaiveIdleTimeout; yours is made when one falls idle. POST /register works meanwhile.");
        stillRefused.StatusCode.Should().Be(HttpStatusCode.InsufficientStorage);
        admitted.StatusCode.Should().Be(HttpStatusCode.Created);
        (await app.Services.GetRequiredService<INaiveNameStore>().CountNaiveListsAsync()).Should().Be(1, "the idle list made room, so the lists stay bounded");
        (await first.GetFromJsonAsync<RaceOutcome>("/lab/races/first_name"))!.NaiveCopies.Should().Be(0, "the idle list was forgotten");
    }
}
