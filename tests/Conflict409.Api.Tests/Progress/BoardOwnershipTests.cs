using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>
/// Each learner's board is theirs (issue #20): a name belongs to the address that first sent it while its board
/// lives, an address holds a bounded number of names, DELETE /progress resets only what the caller owns, and a name
/// the board cannot use never fails the lesson's own request.
/// </summary>
public sealed class BoardOwnershipTests
{
    private const string AdaAddress = "10.0.0.1";
    private const string ImpostorAddress = "10.0.0.2";
    private static readonly string[] AdaConflict = ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)");

    private readonly FakeTimeProvider _clock = new(ProgressApp.Start);

    [Fact]
    public async Task An_impostor_sending_another_addresses_learner_name_neither_grades_nor_wipes_that_board()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada", AdaAddress);
        using var impostor = app.Learner("ada", ImpostorAddress);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var blind = await impostor.RegisterAsync("john_doe");
            (await blind.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/username-taken", "the lesson's own answer");
            blind.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("learner-name-taken");
        }

        using var wipe = await impostor.DeleteAsync("/progress");

        var problem = await wipe.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/learner-name-taken");
        problem.Title.Should().Be("This learner name belongs to another address.");
        problem.Detail.Should().Be("Another address sent the name 'ada' first, and its board is still alive: the name is that " +
            "address's until 2 h after its last request. Choose another name and send it in the Learner header.");
        problem.Instance.Should().Be("/progress");
        problem.ExtensionString("learner").Should().Be("ada");
        (await ada.BoardAsync()).Lines().Should().Equal(AdaConflict, "the impostor's mistakes and DELETE never reached ada's board");
        (await impostor.BoardAsync(ImpostorAddress)).Lines().Should().Equal(ProgressApp.Expected(
            "duplicate-registration: conflict-seen, 4 conflict(s), 0 recovery(ies), blind-retry×3"), "graded under its own address");
        (await (await impostor.GetAsync("/progress")).ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/learner-name-taken");
    }

    [Fact]
    public async Task A_name_is_free_again_once_its_board_is_forgotten()
    {
        await using var app = new Conflict409App().WithClock(_clock).WithSetting("Progress:LearnerLifetime", "00:30:00");
        using var ada = app.Learner("ada", AdaAddress);
        using var later = app.Learner("ada", ImpostorAddress);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        _clock.Advance(TimeSpan.FromMinutes(30));
        using var response = await later.RegisterAsync("john_doe");

        response.Headers.Contains(Learner.IgnoredHeaderName).Should().BeFalse();
        (await later.BoardAsync()).Lines().Should().Equal(AdaConflict);
    }

    [Fact]
    public async Task One_address_minting_a_new_learner_name_per_request_evicts_no_other_addresses_board()
    {
        const string flooderAddress = "10.0.0.9";
        const int requests = 1_500;
        await using var app = new Conflict409App().WithClock(_clock).WithShippedFairnessLimits();
        using var ada = app.Learner("ada", AdaAddress);
        using var flooder = app.ClientAt(flooderAddress);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var statuses = await Concurrently.SendAsync(requests, i =>
        {
            var request = Register($"flood_{i}");
            request.Headers.Add(Learner.HeaderName, $"flood{i}");
            return flooder.SendAsync(request);
        });

        // 32 names (Progress:MaxLearnersPerAddress) each spend one of their own 250 registrations; the other 1,468
        // requests are the address's, which has 250.
        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(32 + 250);
        statuses.Count(status => status == HttpStatusCode.TooManyRequests).Should().Be(requests - 32 - 250);
        await app.Services.GetRequiredService<ProgressRecorder>().GradedSoFarAsync(TestContext.Current.CancellationToken);
        app.Services.GetRequiredService<ProgressBoards>().Count.Should().Be(1 + 32 + 1, "ada, the flooder's 32 names and its address");
        (await ada.BoardAsync()).Lines().Should().Equal(AdaConflict);

        using var over = await flooder.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/progress") { Headers = { { Learner.HeaderName, "one_more" } } });
        var problem = await over.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Type.Should().Be("/problems/too-many-learner-names");
        problem.Title.Should().Be("This address holds too many learner names.");
        problem.Detail.Should().Be("Your address already holds 32 learner names, so 'one_more' was not taken. Go on with one of them; " +
            "a name is free again 2 h after its last request.");
        problem.Instance.Should().Be("/progress");
        over.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("too-many-learner-names");
    }

    [Fact]
    public async Task Delete_progress_naming_another_addresses_learner_resets_nothing_and_says_so()
    {
        await using var app = new Conflict409App();
        using var learner1 = app.Learner("learner1", AdaAddress);
        using var learner2 = app.Learner("learner2", ImpostorAddress);
        (await learner1.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await learner2.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        using var reset = await learner1.DeleteAsync("/progress?learner=learner2");

        var problem = await reset.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/learner-name-taken");
        problem.Detail.Should().Be("The board of 'learner2' belongs to another address: DELETE /progress resets only boards your " +
            "address owns, so nothing was reset. Leave ?learner= out to reset your own.");
        problem.Instance.Should().Be("/progress");
        problem.ExtensionString("learner").Should().Be("learner2");
        (await learner1.BoardAsync()).Lines().Should().Equal(AdaConflict);
        (await learner1.BoardAsync("learner2")).Lines().Should().Equal(AdaConflict);
        (await (await learner1.DeleteAsync($"/progress?learner={ImpostorAddress}")).ShouldBeProblemAsync(HttpStatusCode.Conflict))
            .Type.Should().Be("/problems/learner-name-taken", "an address's board is that address's");
        (await (await learner1.DeleteAsync("/progress?learner=%3Cscript%3E")).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .Type.Should().Be("/problems/invalid-learner");
    }

    [Fact]
    public async Task Delete_progress_naming_a_board_the_callers_address_owns_resets_that_board_and_keeps_the_name()
    {
        await using var app = new Conflict409App();
        using var first = app.Learner("ada_laptop", AdaAddress);
        using var second = app.Learner("ada_phone", AdaAddress);
        using var other = app.Learner("ada_phone", ImpostorAddress);
        (await second.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await first.DeleteAsync("/progress?learner=ada_phone")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await second.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected());
        (await other.GetAsync("/progress")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a reset board is still its address's");
    }

    public static TheoryData<string> UnusableNames => new() { "Zoë Müller", "2nd-row", "ada bob", new string('x', 8_000) };

    [Theory]
    [MemberData(nameof(UnusableNames))]
    public async Task A_learner_name_the_board_cannot_use_never_fails_the_lessons_request_and_is_graded_under_the_address(string name)
    {
        await using var app = new Conflict409App();
        using var client = app.ClientAt(AdaAddress);
        var request = Register("john_doe");
        request.Headers.TryAddWithoutValidation(Learner.HeaderName, name);

        using var response = await client.SendAsync(request);

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/username-taken");
        response.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("invalid-learner");
        (await response.Content.ReadAsStringAsync()).Should().NotContain(name);
        (await client.BoardAsync()).Lines().Should().Equal(AdaConflict);
        app.Logs.GetSnapshot().Should().NotContain(record => record.Message.Contains(name));
    }
}
