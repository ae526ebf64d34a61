using System.Net;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Conflict409.Api.Tests.Progress;

/// <summary>The server's own meter, read with the framework's metric collector.</summary>
public sealed class ProgressMetricsTests
{
    [Fact]
    public async Task Problems_are_counted_by_type_and_status_and_the_board_counts_recoveries_and_mistakes_by_lesson()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        var meterFactory = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var problems = new MetricCollector<long>(meterFactory, ConflictMetrics.MeterName, "conflict409.problems");
        using var recoveries = new MetricCollector<long>(meterFactory, ConflictMetrics.MeterName, "conflict409.progress.recoveries");
        using var mistakes = new MetricCollector<long>(meterFactory, ConflictMetrics.MeterName, "conflict409.progress.mistakes");

        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync("ada_new")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ada.GetAsync("/users/nobody_here")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await ada.BoardAsync();

        problems.GetMeasurementSnapshot().Select(m => (m.Value, Type: m.Tags["problem.type"], Status: m.Tags["http.response.status_code"]))
            .Should().Equal(
                (1L, "/problems/username-taken", (object?)409),
                (1L, "/problems/username-taken", 409),
                (1L, "/problems/user-not-found", 404));
        recoveries.GetMeasurementSnapshot().Should().ContainSingle()
            .Which.Tags.Should().Equal(new Dictionary<string, object?> { ["lesson"] = "duplicate-registration" });
        var mistake = mistakes.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        mistake.Value.Should().Be(1);
        mistake.Tags.Should().Equal(new Dictionary<string, object?> { ["lesson"] = "duplicate-registration", ["mistake"] = "blind-retry" });
    }

    [Fact]
    public async Task Learners_held_go_up_and_down_with_the_boards_and_a_reset_board_is_still_held()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ProgressApp.Start);
        await using var app = new Conflict409App().WithClock(clock);
        using var ada = app.Learner("ada");
        using var bob = app.Learner("bob");
        using var learners = new MetricCollector<long>(
            app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ConflictMetrics.MeterName, "conflict409.progress.learners");

        await ada.RegisterAsync("john_doe");
        await bob.RegisterAsync("john_doe");
        await ada.RegisterAsync("jane_smith");
        // A reset board stays its address's (the name is still taken): it is held until it expires.
        (await ada.DeleteAsync("/progress")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        clock.Advance(TimeSpan.FromHours(2));
        using var carol = app.Learner("carol");
        await carol.RegisterAsync("john_doe");

        learners.GetMeasurementSnapshot().Select(m => m.Value).Should().Equal(1, 1, -1);
        app.Services.GetRequiredService<Conflict409.Api.Progress.ProgressBoards>().Count.Should().Be(1, "ada's and bob's expired, carol's is new");
    }
}
