using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Shop;

/// <summary>Lesson 7's bounds: how long an idle session lives and how much session data the server keeps.</summary>
public sealed class ShopOptions
{
    public const string SectionName = "Shop";

    /// <summary>A cart holds at most this many items (then 507), which also bounds one session's size.</summary>
    public const int MaxCartItems = 10;

    /// <summary>A session unused this long is forgotten; its next request is a 400 session-required.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Shop:SessionIdleTimeout must be from {1} to {2}.")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// The bytes of session data the server holds in all (a full cart's session is under 200 bytes, so the default
    /// keeps thousands); when full, new sessions are not kept and, in memory, the least recently used are evicted.
    /// With Store=PostgreSql the bound is for all instances together, and nothing is evicted before it expires
    /// (<see cref="Storage.Postgres.PostgresSessionCache"/>).
    /// </summary>
    [Range(1, 256 * 1024 * 1024, ErrorMessage = "Shop:SessionStoreBytes must be from {1} to {2}.")]
    public long SessionStoreBytes { get; set; } = 1024 * 1024;
}
