using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Tests.Progress;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Hardening;

/// <summary>
/// A class behind one router (a school's NAT): every learner has the same address, and each sends its own Learner
/// name, so each is a client of its own for the per-client limits, at the shipped limits, on a fake clock so the
/// counts are exact.
/// </summary>
public sealed class LearnersBehindOneAddressTests
{
    private const string School = "10.0.0.7";
    private const int Registrations = 250;

    [Fact]
    public async Task Learners_behind_one_address_each_get_their_own_registration_budget()
    {
        await using var app = new Conflict409App().WithClock(new FakeTimeProvider(ProgressApp.Start)).WithShippedFairnessLimits();
        var learners = Enumerable.Range(1, 5).Select(n => app.Learner($"learner{n}", School)).ToArray();
        using var anonymous = app.ClientAt(School);

        var statuses = await Concurrently.SendAsync(learners.Length * Registrations,
            i => learners[i % learners.Length].RegisterAsync($"nat_{i}"));

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.Created, "each of the five spent only its own budget");
        using var over = await learners[0].RegisterAsync("nat_over");
        var problem = await over.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Type.Should().Be("/problems/too-many-requests");
        problem.Detail.Should().StartWith($"More than {Registrations} registrations in 600 s from this client (learner1@{School}); " +
            "other clients are not affected.");
        (await anonymous.RegisterAsync("nat_anonymous")).StatusCode.Should().Be(HttpStatusCode.Created, "the address's own budget is untouched");
        foreach (var learner in learners)
        {
            learner.Dispose();
        }
    }

    [Fact]
    public async Task An_idempotency_key_is_scoped_to_the_learner_so_classmates_reusing_k1_do_not_collide()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada", School);
        using var bob = app.Learner("bob", School);

        (await ada.SendAsync(Register("ada_user", "k-1"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await bob.SendAsync(Register("bob_user", "k-1"))).StatusCode.Should().Be(HttpStatusCode.Created, "bob's k-1 is another key");
    }
}
