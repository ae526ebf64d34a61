using Microsoft.Extensions.Options;

namespace Conflict409.Api.Clients;

/// <summary>
/// How much of the server one client (<see cref="ClientAddress"/>) may take, so that thirty learners on one
/// instance each get their turn: requests per window on the endpoints that write or scan, and connections.
/// </summary>
public sealed class FairnessOptions
{
    public const string SectionName = "Fairness";

    /// <summary>
    /// POST /register and PUT /users/{username}: each adds a user to the shared capacity. The burst lets lesson 6
    /// race 200 requests at once; the slow refill keeps one client from filling the store for everyone.
    /// </summary>
    public ClientRateLimit Registrations { get; set; } = new() { PermitLimit = 250, Window = TimeSpan.FromMinutes(10) };

    /// <summary>POST /teams: each takes a place in the shared team capacity and pins users.</summary>
    public ClientRateLimit TeamCreations { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };

    /// <summary>GET /users: a page of up to 100 users.</summary>
    public ClientRateLimit Listing { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Connections one client may hold open at once; more are closed as they arrive. A browser opens about six.
    /// </summary>
    public int ConnectionsPerClient { get; set; } = 32;
}

/// <summary>
/// <see cref="PermitLimit"/> requests per <see cref="Window"/> for each client, as a token bucket: a client may
/// spend all of them at once, and gets them back one at a time, evenly over the window.
/// </summary>
public sealed class ClientRateLimit
{
    /// <summary>The burst a client may send at once, and the most it may send per window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>How long an exhausted client takes to earn its whole burst back.</summary>
    public TimeSpan Window { get; set; }
}

/// <summary>
/// Checks each limit under its own setting path (the three limits share one type, so an attribute could not name
/// it). The ranges keep the token bucket's refill period, <c>Window / PermitLimit</c>, at least one tick: a zero
/// period would make the rate limiter throw on the first limited request instead of at start.
/// </summary>
public sealed class FairnessOptionsValidator : IValidateOptions<FairnessOptions>
{
    public const int MaxPermitLimit = 10_000_000;
    public const int MaxConnectionsPerClient = 100_000;
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, FairnessOptions options)
    {
        var failures = new List<string>();
        Check(nameof(FairnessOptions.Registrations), options.Registrations, failures);
        Check(nameof(FairnessOptions.TeamCreations), options.TeamCreations, failures);
        Check(nameof(FairnessOptions.Listing), options.Listing, failures);
        if (options.ConnectionsPerClient is < 1 or > MaxConnectionsPerClient)
        {
            failures.Add($"{FairnessOptions.SectionName}:{nameof(FairnessOptions.ConnectionsPerClient)} must be from 1 to {MaxConnectionsPerClient}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string limitName, ClientRateLimit limit, List<string> failures)
    {
        var path = $"{FairnessOptions.SectionName}:{limitName}";
        if (limit.PermitLimit is < 1 or > MaxPermitLimit)
        {
            failures.Add($"{path}:{nameof(ClientRateLimit.PermitLimit)} must be from 1 to {MaxPermitLimit}.");
        }

        if (limit.Window < MinWindow || limit.Window > MaxWindow)
        {
            failures.Add($"{path}:{nameof(ClientRateLimit.Window)} must be from {MinWindow} to {MaxWindow}.");
        }
    }
}
