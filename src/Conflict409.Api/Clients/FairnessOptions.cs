using System.ComponentModel.DataAnnotations;
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
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit Registrations { get; set; } = new() { PermitLimit = 250, Window = TimeSpan.FromMinutes(10) };

    /// <summary>POST /teams: each takes a place in the shared team capacity and pins users.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit TeamCreations { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };

    /// <summary>GET /users: a page of up to 100 users.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit Listing { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Connections one client may hold open at once; more are closed as they arrive. A browser opens about six.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ConnectionsPerClient { get; set; } = 32;
}

/// <summary>
/// <see cref="PermitLimit"/> requests per <see cref="Window"/> for each client, as a token bucket: a client may
/// spend all of them at once, and gets them back one at a time, evenly over the window.
/// </summary>
public sealed class ClientRateLimit
{
    /// <summary>The burst a client may send at once, and the most it may send per window.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    /// <summary>How long an exhausted client takes to earn its whole burst back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}
