using System.ComponentModel.DataAnnotations;

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
    /// Connections one client may hold open at once; more are refused as they arrive. A browser opens about six.
    /// </summary>
    [Range(1, MaxConnectionsPerClient, ErrorMessage = "Fairness:ConnectionsPerClient must be from {1} to {2}.")]
    public int ConnectionsPerClient { get; set; } = 32;

    /// <summary>
    /// Refused connections one client may have answered at once (a 503 too-many-connections, then closed); more are
    /// closed unanswered. Each is held only until its request has arrived, so a client holds at most
    /// <see cref="ConnectionsPerClient"/> plus this many of Kestrel's MaxConcurrentConnections; the default answers
    /// every request of lesson 6's largest race (200) sent at once from a script.
    /// </summary>
    [Range(0, MaxConnectionsPerClient, ErrorMessage = "Fairness:RefusedConnectionsAnswered must be from {1} to {2}.")]
    public int RefusedConnectionsAnswered { get; set; } = 200;

    public const int MaxConnectionsPerClient = 100_000;
}

/// <summary>
/// <see cref="PermitLimit"/> requests per <see cref="Window"/> for each client, as a token bucket: a client may
/// spend all of them at once, and gets them back one at a time, evenly over the window.
/// </summary>
public sealed class ClientRateLimit
{
    public const int MaxPermitLimit = 10_000_000;
    public const string MinWindow = "00:00:01";
    public const string MaxWindow = "1.00:00:00";

    // {0} is the setting's whole path: the three limits share this type. The ranges keep the token bucket's refill
    // period, Window / PermitLimit, at least one tick: a zero period would make the rate limiter throw on the first
    // limited request instead of at start.
    /// <summary>The burst a client may send at once, and the most it may send per window.</summary>
    [Range(1, MaxPermitLimit, ErrorMessage = "{0} must be from {1} to {2}.")]
    public int PermitLimit { get; set; }

    /// <summary>How long an exhausted client takes to earn its whole burst back.</summary>
    [Range(typeof(TimeSpan), MinWindow, MaxWindow, ErrorMessage = "{0} must be from {1} to {2}.")]
    public TimeSpan Window { get; set; }
}
