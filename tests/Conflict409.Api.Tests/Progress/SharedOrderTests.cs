using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Storage.Postgres;
using Conflict409.Api.Tests.Infrastructure;
using Npgsql;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>
/// With Store=PostgreSql a learner's requests are graded in the order they were answered, on every instance, whichever
/// instance put its batch in the shared log first; resets are shared; a lost listener connection loses nothing. Two
/// servers on one database and one fake clock: the gates and the clock decide what happens when, never a sleep.
/// </summary>
public sealed class SharedOrderTests
{
    private const string Address = "203.0.113.7";

    /// <summary>Bounds a wait on a gate in real time, so a server that never gets there fails the test instead of hanging it; never reached otherwise.</summary>
    private static readonly TimeSpan FailureBound = TimeSpan.FromSeconds(30);

    // Tells a gated log when its listener waits on the clock to connect again.
    private readonly ListenerClock _clock = new(ProgressApp.Start);

    /// <summary>A server on <paramref name="database"/> named <paramref name="name"/>, on the test's clock.</summary>
    private Conflict409App OnInstance(TestDatabase database, string name) =>
        Conflict409App.OnDatabase(database, name).WithClock(_clock);

    /// <summary>Two servers, first and second, on one fresh database and the test's clock, each with its log gated.</summary>
    private sealed class GatedInstances : IAsyncDisposable
    {
        private readonly TestDatabase _database = TestDatabase.Create();
        private readonly Conflict409App _first;
        private readonly Conflict409App _second;
        private readonly GatedProgressLog _firstLog;
        private readonly GatedProgressLog _secondLog;

        public GatedInstances(Func<TestDatabase, string, Conflict409App> onInstance)
        {
            _first = onInstance(_database, "first");
            _second = onInstance(_database, "second");
            _firstLog = GatedProgressLog.Install(_first);
            _secondLog = GatedProgressLog.Install(_second);
        }

        public void Deconstruct(
            out TestDatabase database, out Conflict409App first, out Conflict409App second,
            out GatedProgressLog firstLog, out GatedProgressLog secondLog) =>
            (database, first, second, firstLog, secondLog) = (_database, _first, _second, _firstLog, _secondLog);

        public async ValueTask DisposeAsync()
        {
            await _second.DisposeAsync();
            await _first.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> UpdateProfileAsync(HttpClient client, string username, string? ifMatch) =>
        client.SendAsync(UpdateProfile(username, new { displayName = "Ada" }, ifMatch));

    [Fact]
    public async Task A_stale_update_on_one_instance_then_a_reread_and_update_on_the_other_is_graded_in_that_order_though_logged_last()
    {
        TestStore.SkipUnlessPostgres();
        await using var instances = new GatedInstances(OnInstance);
        var (_, first, second, firstLog, secondLog) = instances;
        using var adaOnFirst = first.Learner("ada", Address);
        using var adaOnSecond = second.Learner("ada", Address);
        (await adaOnFirst.RegisterAsync("ada_profile")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await UpdateProfileAsync(adaOnFirst, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);
        await adaOnFirst.BoardAsync();
        // The second has heard the first (so it waits for the first's requests), and itself.
        await secondLog.HeardFrom(2);

        firstLog.Shut();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var stale = await UpdateProfileAsync(adaOnFirst, "ada_profile", "\"1\"");
        await firstLog.Entered;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var reread = await adaOnSecond.GetAsync("/users/ada_profile");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var fresh = await UpdateProfileAsync(adaOnSecond, "ada_profile", reread.Headers.ETag!.Tag);
        var readOnSecond = adaOnSecond.BoardAsync();
        // Before #21's order, the second graded the re-read and the update here, and the 412 after them, once logged.
        readOnSecond.IsCompleted.Should().BeFalse("the second waits for the first's watermark to pass the board read");
        firstLog.Open();
        var onSecond = await readOnSecond;
        var onFirst = await adaOnFirst.BoardAsync();

        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        fresh.StatusCode.Should().Be(HttpStatusCode.OK);
        var expected = ProgressApp.Expected("versioning: recovered, 1 conflict(s), 1 recovery(ies)");
        onSecond.Lines().Should().Equal(expected);
        onFirst.Lines().Should().Equal(expected);
        onSecond.Events.Select(e => (e.Status, e.Instance)).Should().Equal(
            (201, "first"), (200, "first"), (412, "first"), (200, "second"), (200, "second"));
        onFirst.Events.Should().BeEquivalentTo(onSecond.Events, options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task A_held_registration_answered_409_after_a_registration_on_the_other_instance_is_graded_after_it_as_answered()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = OnInstance(database, "first");
        await using var second = OnInstance(database, "second");
        var gate = GatedUserStore.Install(first);
        using var adaOnFirst = first.Learner("ada", Address);
        using var adaOnSecond = second.Learner("ada", Address);

        // Received first, held in the store, answered last: the learner got the 201 before this 409.
        var held = adaOnFirst.SendAsync(Register("held_ada", "\"k-1\""));
        await gate.Entered;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var created = await adaOnSecond.SendAsync(Register("held_ada", "\"k-2\""));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        gate.Release();
        using var refused = await held;
        var onFirst = await adaOnFirst.BoardAsync();
        var onSecond = await adaOnSecond.BoardAsync();

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        // Before answered order, the 409 (received first) was graded first and the later 201 read as its recovery.
        var expected = ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)");
        onFirst.Lines().Should().Equal(expected);
        onSecond.Lines().Should().Equal(expected);
        onFirst.Events.Select(e => (e.Status, e.Instance)).Should().Equal((201, "second"), (409, "first"));
        onSecond.Events.Should().BeEquivalentTo(onFirst.Events, options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task An_instance_silent_for_its_lease_holds_the_others_back_no_longer()
    {
        TestStore.SkipUnlessPostgres();
        await using var instances = new GatedInstances(OnInstance);
        var (_, first, second, firstLog, secondLog) = instances;
        using var zedOnFirst = first.Learner("zed", Address);
        using var zedOnSecond = second.Learner("zed", Address);
        using var created = await zedOnFirst.RegisterAsync("zed_first");
        await zedOnFirst.BoardAsync();
        await secondLog.HeardFrom(2);

        // The first hangs holding a request it answered: it never logs it, nor says anything else.
        firstLog.Shut();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var held = await zedOnFirst.RegisterAsync("john_doe");
        await firstLog.Entered;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        // Asked once the first is behind what the second holds: from then on the lease runs.
        var asked = secondLog.NextAsk();
        using var taken = await zedOnSecond.RegisterAsync("john_doe");
        var readOnSecond = zedOnSecond.BoardAsync();
        await asked;
        readOnSecond.IsCompleted.Should().BeFalse("the second waits for the first's watermark, within the lease");
        _clock.Advance(ProgressGrader.InstanceLease + ProgressGrader.GatherWindow);
        var onSecond = await readOnSecond;

        onSecond.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        onSecond.Events.Select(e => (e.Status, e.Instance)).Should().Equal((201, "first"), (409, "second"));
        firstLog.Open();
    }

    [Fact]
    public async Task A_board_reset_on_one_instance_reads_reset_on_the_other_and_grades_on_from_there()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database, "first");
        await using var second = Conflict409App.OnDatabase(database, "second");
        using var zedOnFirst = first.Learner("zed", Address);
        using var zedOnSecond = second.Learner("zed", Address);
        using var taken = await zedOnFirst.RegisterAsync("john_doe");
        var before = await zedOnSecond.BoardAsync();

        using var reset = await zedOnSecond.DeleteAsync("/progress");
        var resetOnFirst = await zedOnFirst.BoardAsync();
        using var takenAgain = await zedOnFirst.RegisterAsync("john_doe");
        var afterOnSecond = await zedOnSecond.BoardAsync();
        var afterOnFirst = await zedOnFirst.BoardAsync();

        before.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        reset.StatusCode.Should().Be(HttpStatusCode.NoContent);
        // Before #21's reset marker, the first still showed the conflict the second had reset.
        resetOnFirst.Lines().Should().Equal(ProgressApp.Expected());
        resetOnFirst.Events.Should().BeEmpty();
        var expected = ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)");
        afterOnSecond.Lines().Should().Equal(expected, "the repeat after the reset is a first conflict, not a blind retry");
        afterOnFirst.Lines().Should().Equal(expected);
        afterOnFirst.Events.Should().ContainSingle().Which.Instance.Should().Be("first");
        afterOnSecond.Events.Should().BeEquivalentTo(afterOnFirst.Events, options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task Requests_logged_while_the_listeners_are_disconnected_are_graded_once_they_reconnect()
    {
        TestStore.SkipUnlessPostgres();
        await using var instances = new GatedInstances(OnInstance);
        var (database, first, second, firstLog, secondLog) = instances;
        using var zedOnFirst = first.Learner("zed", Address);
        using var zedOnSecond = second.Learner("zed", Address);
        using var created = await zedOnFirst.RegisterAsync("zed_first");
        await Task.WhenAll(firstLog.HeardFrom(2), secondLog.HeardFrom(2));

        await using (var session = await database.OpenSessionAsync())
        await using (var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", session))
        {
            terminate.Parameters.Add(new NpgsqlParameter<string> { TypedValue = PostgresProgressLog.ListenerApplicationName });
            (await terminate.ExecuteScalarAsync()).Should().Be(2L);
        }

        await Task.WhenAll(firstLog.Lost, secondLog.Lost);
        var listeningAgain = Task.WhenAll(firstLog.NextListening(), secondLog.NextListening());
        var appended = firstLog.NextAppend();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var taken = await zedOnFirst.RegisterAsync("john_doe");
        // In the log, announced to nobody: the listeners wait for the clock to try again. Moved once both wait (moved
        // before a listener waits, the clock would leave it waiting), and no further, it brings both back.
        await appended;
        await Task.WhenAll(firstLog.Retrying, secondLog.Retrying).WaitAsync(FailureBound, TestContext.Current.CancellationToken);
        _clock.Advance(ProgressGrader.ListenRetry);
        await listeningAgain.WaitAsync(FailureBound, TestContext.Current.CancellationToken);

        var onSecond = await zedOnSecond.BoardAsync().WaitAsync(FailureBound, TestContext.Current.CancellationToken);
        var onFirst = await zedOnFirst.BoardAsync().WaitAsync(FailureBound, TestContext.Current.CancellationToken);

        taken.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var expected = ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)");
        onSecond.Lines().Should().Equal(expected);
        onFirst.Lines().Should().Equal(expected);
        onSecond.Events.Should().BeEquivalentTo(onFirst.Events, options => options.WithStrictOrdering());
        second.Logs.GetSnapshot().Should().Contain(record => record.Message.StartsWith("Listening to the shared progress log failed"));
    }
}
