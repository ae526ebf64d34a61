namespace Conflict409.Client;

/// <summary>Walks every lesson against a running server, showing each 409 and how the client recovers.</summary>
public sealed class Tour(Conflict409Client client, TextWriter output)
{
    // Names unique to this run, so the tour can be repeated against the same server.
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var failures = 0;
        failures += Check(await DuplicateRegistrationAsync(cancellationToken));
        failures += Check(await VersionMismatchAsync(cancellationToken));
        failures += Check(await ReferencedResourceAsync(cancellationToken));
        failures += Check(await RetriedRequestAsync(cancellationToken));
        failures += Check(await BlockingGetAsync(cancellationToken));
        failures += Check(await CheckThenActAsync(cancellationToken));
        failures += Check(await StaleSessionAsync(cancellationToken));
        await output.WriteLineAsync(failures == 0 ? "\nEvery lesson recovered." : $"\n{failures} lesson(s) did not recover.");
        return failures == 0 ? 0 : 1;
    }

    private int Check(bool recovered)
    {
        output.WriteLine(recovered ? "  ✓ recovered" : "  ✗ did not recover");
        return recovered ? 0 : 1;
    }

    private async Task<bool> DuplicateRegistrationAsync(CancellationToken cancellationToken)
    {
        await Say("Lesson 0 — duplicate registration: john_doe exists, so registering it is a 409.");
        await client.RegisterAsync($"learner_{_run}", cancellationToken: cancellationToken);
        var taken = await client.RegisterAsync("john_doe", cancellationToken: cancellationToken);
        await Say($"  The problem says who holds the name: existingUsername = {taken.Problem?.Extension("existingUsername")}. Recovery: pick another name (never the same one again).");
        var recovered = await client.RegisterRecoveringAsync($"john_doe_{_run}", (name, attempt) => $"{name}_{attempt}", cancellationToken: cancellationToken);
        return taken.IsProblem(ProblemTypes.UsernameTaken) && recovered.IsSuccess;
    }

    private async Task<bool> VersionMismatchAsync(CancellationToken cancellationToken)
    {
        var editor = $"editor_{_run}";
        await Say("\nLesson 1 — version mismatch: two clients edit the same profile; A's copy goes stale when B saves.");
        await client.RegisterAsync(editor, cancellationToken: cancellationToken);
        var read = await client.GetUserAsync(editor, cancellationToken);
        await client.UpdateProfileAsync(editor, new ProfileEdit("Edited by B", null), ifMatch: read.ETag, cancellationToken: cancellationToken);
        var stale = await client.UpdateProfileAsync(editor, new ProfileEdit("Edited by A", null), ifMatch: read.ETag, cancellationToken: cancellationToken);
        await Say($"  A's If-Match is stale: {(int)stale.Status}. Recovery: re-read, re-apply, retry with the new ETag.");
        var recovered = await client.UpdateProfileRecoveringAsync(editor, current => new ProfileEdit("Edited by A", current.Bio), cancellationToken: cancellationToken);

        var version = recovered.Value?.Version ?? 0;
        await client.UpdateProfileAsync(editor, new ProfileEdit("Edited by B again", null), version: version, cancellationToken: cancellationToken);
        var staleBody = await client.UpdateProfileAsync(editor, new ProfileEdit("Edited by A again", null), version: version, cancellationToken: cancellationToken);
        await Say($"  The same with the version in the body: {(int)staleBody.Status}. Recovery: the same — re-read, re-apply, retry.");
        var recoveredAgain = await client.UpdateProfileRecoveringAsync(editor, current => new ProfileEdit("Edited by A again", current.Bio), cancellationToken: cancellationToken);
        return stale.IsProblem(ProblemTypes.PreconditionFailed) && recovered.IsSuccess
            && staleBody.IsProblem(ProblemTypes.VersionMismatch) && recoveredAgain.IsSuccess;
    }

    private async Task<bool> ReferencedResourceAsync(CancellationToken cancellationToken)
    {
        var member = $"member_{_run}";
        await Say("\nLesson 2 — deleting what others reference: a team lists the user.");
        await client.RegisterAsync(member, cancellationToken: cancellationToken);
        await client.CreateTeamAsync($"team_{_run}", "john_doe", [member], cancellationToken);
        var refused = await client.DeleteAsync($"/users/{member}", cancellationToken);
        var blockers = refused.Problem?.Extensions.GetValueOrDefault("blockedBy") is { ValueKind: System.Text.Json.JsonValueKind.Array } list
            ? list.EnumerateArray().Select(path => path.GetString()!).ToArray()
            : [];
        await Say($"  Blocked by {string.Join(", ", blockers)}. Recovery: remove the blockers, then delete again.");
        foreach (var blocker in blockers)
        {
            await client.DeleteAsync(blocker, cancellationToken);
        }

        var deleted = await client.DeleteAsync($"/users/{member}", cancellationToken);
        return refused.IsProblem(ProblemTypes.UserReferenced) && blockers.Length > 0 && deleted.IsSuccess;
    }

    private async Task<bool> RetriedRequestAsync(CancellationToken cancellationToken)
    {
        var key = $"tour-{_run}";
        await Say("\nLesson 3 — retried requests: the response to the first try was \"lost\", so the client retries with the same Idempotency-Key.");
        var first = await client.RegisterIdempotentlyAsync($"retry_{_run}", key, cancellationToken: cancellationToken);
        var retry = await client.RegisterIdempotentlyAsync($"retry_{_run}", key, cancellationToken: cancellationToken);
        await Say("  The retry gets the first response replayed, not a 409. Had it arrived while the first was still running, " +
            "it would have got 409 idempotency-key-in-use, and the client would wait Retry-After and retry with the same key.");
        var reused = await client.RegisterAsync($"other_{_run}", key, cancellationToken);
        await Say($"  The same key for another name is {(int)reused.Status}: a key names one operation. Recovery: a new key for the new operation.");
        var fresh = await client.RegisterIdempotentlyAsync($"other_{_run}", $"{key}-2", cancellationToken: cancellationToken);
        return first.IsSuccess && retry.IsSuccess && retry.Replayed && reused.IsProblem(ProblemTypes.IdempotencyKeyReused) && fresh.IsSuccess;
    }

    private async Task<bool> BlockingGetAsync(CancellationToken cancellationToken)
    {
        await Say("\nLesson 4 — 409 on GET (non-standard): the catalogue is rate limited; the client pages until it is blocked.");
        ApiResult<ProductPage>? blocked = null;
        for (var page = 1; page <= 100 && blocked is null; page++)
        {
            var result = await client.GetProductsAsync(page % 5 + 1, cancellationToken);
            blocked = result.IsSuccess ? null : result;
        }

        if (blocked is null)
        {
            await Say("  Never blocked: the server's limit is higher than this tour goes.");
            return false;
        }

        await Say($"  {(int)blocked.Status} with Retry-After {blocked.RetryAfter?.TotalSeconds:0} s and type {blocked.Problem?.Type}: " +
            "a GET cannot conflict, so this means \"slow down\". Recovery: wait as asked, then retry.");
        var recovered = await client.GetProductsHonouringRetryAfterAsync(1, blocked.RetryAfter, cancellationToken: cancellationToken);
        return recovered.IsSuccess;
    }

    /// <summary>Lesson 6: the same small burst at the deliberately naive endpoint and at /register.</summary>
    public async Task<bool> CheckThenActAsync(CancellationToken cancellationToken = default)
    {
        await Say("\nLesson 6 — check-then-act: ten registrations of one fresh name at once, to the deliberately naive endpoint, then to /register.");
        var report = await client.RaceAsync(10, cancellationToken: cancellationToken);
        if (report is null)
        {
            await Say("  The server refused the race plan.");
            return false;
        }

        await Say(report.ToTable());
        await Say("  Several naive 201s mean several racers passed the check before any added: the bug. /register's check is " +
            "part of its write, so exactly one wins; the others got 409 and recover as in lesson 0. (Browser: /lab; more racers: race --n 100.)");
        return report.AtomicHeld;
    }

    /// <summary>Lesson 7: a session's view goes stale; the client re-reads the page, then submits again.</summary>
    public async Task<bool> StaleSessionAsync(CancellationToken cancellationToken = default)
    {
        await Say("\nLesson 7 — a stale session while scraping: this client keeps cookies, like a scraper's persistent session.");
        var page = await client.GetCartAsync(cancellationToken);
        if (page.Value is not { } cart)
        {
            return false;
        }

        await client.AddToCartAsync(2, cart.FormToken, cancellationToken);
        await Say($"  Another tab added an item after this session's page showed revision {cart.Revision}. Checking out now:");
        ApiResult<Order>? stale = null;
        var recovered = await client.CheckoutRecoveringAsync(cart.FormToken, onStale: result =>
        {
            stale = result;
            output.WriteLine($"  {(int)result.Status}: the session saw {result.Problem?.Extension("expected")}, the cart is now " +
                $"{result.Problem?.Extension("current")}. Recovery: re-read the page (it refreshes the session's view), then submit again.");
        }, cancellationToken: cancellationToken);
        return stale is not null && recovered.IsSuccess;
    }

    private Task Say(string line) => output.WriteLineAsync(line);
}
