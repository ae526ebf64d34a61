using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Conflict409.Api.Tests.Infrastructure;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>
/// Which lesson a board event is listed under, and in which order the verdicts of several lessons watching one
/// endpoint (/register: lessons 0, 3 and 6) are written: the event's lesson can differ from its verdicts' lessons.
/// </summary>
public sealed class EventAttributionTests
{
    private static string[] Events(ProgressBoard board) =>
        [.. board.Events.Select(e => $"{e.Lesson}: {e.Request} {e.Status} {e.ProblemType} [{string.Join(", ", e.Judgements)}]")];

    [Fact]
    public async Task A_keyed_201_after_username_taken_is_a_lesson_3_event_carrying_lesson_0s_recovery()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");

        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.SendAsync(Register("keyed_ada", "\"k-1\""))).StatusCode.Should().Be(HttpStatusCode.Created);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)"));
        Events(board).Should().Equal(
            "duplicate-registration: POST /register 409 /problems/username-taken [conflict seen]",
            "idempotency-key: POST /register 201  [recovered]");
    }

    [Fact]
    public async Task A_keyless_taken_name_while_a_key_is_in_flight_writes_lesson_3s_verdict_before_lesson_0s()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        using var ada = app.Learner("ada");

        var held = ada.SendAsync(HeldRegister("held_ada", "\"k-1\"", "8000"));
        await clock.DelaysStartedAsync(1, TimeSpan.FromSeconds(8));
        (await ada.SendAsync(Register("held_ada", "\"k-1\""))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(TimeSpan.FromSeconds(8));
        (await held).StatusCode.Should().Be(HttpStatusCode.Created);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected(
            "duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)",
            "idempotency-key: conflict-seen, 1 conflict(s), 0 recovery(ies), new-key-retry×1"));
        Events(board).Should().Equal(
            "idempotency-key: POST /register 409 /problems/idempotency-key-in-use [conflict seen]",
            "duplicate-registration: POST /register 409 /problems/username-taken [mistake: new-key-retry, conflict seen]",
            "idempotency-key: POST /register 201  [recovered]");
    }

    [Fact]
    public async Task A_registration_of_a_raced_name_belongs_to_lesson_6_alone()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        var plan = (await (await ada.SendAsync(PlanRace(2, thinkTimeMs: 0))).Content.ReadFromJsonAsync<RacePlan>())!;

        // Once before the race's name is taken, twice after: neither the 409s nor the keyed one are lesson 0's or 3's.
        (await ada.RegisterAsync(plan.Username)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ada.RegisterAsync(plan.Username)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync(plan.Username)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.SendAsync(Register(plan.Username, "\"k-race\""))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected(), "a race's registrations alone are neither a conflict nor a blind retry");
        Events(board).Should().Equal(
            "check-then-act: POST /lab/races 201  []",
            "check-then-act: POST /register 201  []",
            "check-then-act: POST /register 409 /problems/username-taken []",
            "check-then-act: POST /register 409 /problems/username-taken []",
            "check-then-act: POST /register 409 /problems/username-taken []");
    }
}
