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

    /// <summary>POST /register and PUT /users/{username}: each adds a user to the shared capacity.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit Registrations { get; set; } = new() { PermitLimit = 30 };

    /// <summary>POST /teams: each takes a place in the shared team capacity and pins users.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit TeamCreations { get; set; } = new() { PermitLimit = 10 };

    /// <summary>GET /users: a page of up to 100 users.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClientRateLimit Listing { get; set; } = new() { PermitLimit = 60 };

    /// <summary>
    /// Connections one client may hold open at once; more are closed as they arrive. A browser opens about six.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ConnectionsPerClient { get; set; } = 32;
}

/// <summary>A fixed window: <see cref="PermitLimit"/> requests per <see cref="Window"/> for each client.</summary>
public sealed class ClientRateLimit
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
