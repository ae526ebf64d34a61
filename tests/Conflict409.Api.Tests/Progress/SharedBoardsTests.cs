using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Progress;

/// <summary>
/// With Store=PostgreSql, every instance replays one progress log: a learner's board is the same on each, whichever
/// instance answered which request. A board read appends the reading instance's own requests to the log before it
/// answers, so the tests read a board on the instance that answered before going on to the other: that is the gate,
/// where a learner's own client would be one gather window (20 ms) behind at most.
/// </summary>
public sealed class SharedBoardsTests
{
    private const string Address = "203.0.113.7";

    [Fact]
    public async Task A_board_graded_on_two_instances_reads_the_same_from_either_and_each_event_names_its_instance()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database, "first");
        await using var second = Conflict409App.OnDatabase(database, "second");
        using var zedOnFirst = first.Learner("zed", Address);
        using var zedOnSecond = second.Learner("zed", Address);

        using var taken = await zedOnFirst.RegisterAsync("john_doe");
        var seenOnFirst = await zedOnFirst.BoardAsync();
        var seenOnSecond = await zedOnSecond.BoardAsync();
        using var recovered = await zedOnSecond.RegisterAsync("zed_elsewhere");
        var onSecond = await zedOnSecond.BoardAsync();
        var onFirst = await zedOnFirst.BoardAsync();

        taken.StatusCode.Should().Be(HttpStatusCode.Conflict);
        recovered.StatusCode.Should().Be(HttpStatusCode.Created);
        seenOnFirst.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        // Issue #21: before the shared log, the second instance showed zed "not started".
        seenOnSecond.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        var expected = ProgressApp.Expected("duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)");
        onSecond.Lines().Should().Equal(expected);
        onFirst.Lines().Should().Equal(expected);
        onFirst.Events.Should().BeEquivalentTo(onSecond.Events, options => options.WithStrictOrdering());
        onFirst.Events.Select(e => (e.Request, e.Status, e.Instance)).Should().Equal(
            ("POST /register", 409, "first"),
            ("POST /register", 201, "second"));
    }

    [Fact]
    public async Task A_learner_name_owned_through_one_instance_is_refused_to_another_address_on_the_other()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        await using var second = Conflict409App.OnDatabase(database);
        using var owner = first.Learner("zed", Address);
        using var other = second.Learner("zed", "198.51.100.9");

        using var owned = await owner.RegisterAsync("john_doe");
        await owner.BoardAsync();
        // Any board read on the second replays the log there first.
        await second.ClientAt("192.0.2.1").BoardAsync();
        using var refused = await other.RegisterAsync("john_doe");
        var board = await owner.BoardAsync("zed");

        refused.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("learner-name-taken");
        board.Events.Should().ContainSingle("the other address's request counts as its address's, not zed's");
    }

    [Fact]
    public async Task An_instance_started_later_rebuilds_every_board_from_the_shared_log()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        using var zed = first.Learner("zed", Address);
        using var taken = await zed.RegisterAsync("john_doe");
        using var recovered = await zed.RegisterAsync("zed_later");
        var before = await zed.BoardAsync();

        await using var later = Conflict409App.OnDatabase(database);
        var after = await later.ClientAt("192.0.2.1").BoardAsync("zed");

        after.Lines().Should().Equal(before.Lines());
        after.Events.Should().BeEquivalentTo(before.Events, options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task A_name_claimed_by_two_addresses_on_two_instances_at_once_ends_as_one_board_the_same_on_both()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database, "first");
        await using var second = Conflict409App.OnDatabase(database, "second");
        using var onFirst = first.Learner("zed", Address);
        using var onSecond = second.Learner("zed", "198.51.100.9");

        // Each instance grants the name on the spot; the log's order decides whose it is.
        var statuses = await Task.WhenAll(onFirst.RegisterAsync("john_doe"), onSecond.RegisterAsync("john_doe"));
        // Read by a third address: the address that lost the name is refused its board, rightly.
        using var teacherOnFirst = first.ClientAt("192.0.2.1");
        using var teacherOnSecond = second.ClientAt("192.0.2.1");
        await teacherOnFirst.BoardAsync();
        await teacherOnSecond.BoardAsync();
        var fromFirst = await teacherOnFirst.BoardAsync("zed");
        var fromSecond = await teacherOnSecond.BoardAsync("zed");

        statuses.Select(response => response.StatusCode).Should().Equal(HttpStatusCode.Conflict, HttpStatusCode.Conflict);
        fromFirst.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        fromSecond.Lines().Should().Equal(fromFirst.Lines());
        fromSecond.Events.Should().BeEquivalentTo(fromFirst.Events, options => options.WithStrictOrdering());
        foreach (var response in statuses)
        {
            response.Dispose();
        }
    }
}
