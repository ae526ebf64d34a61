using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Idempotency;

public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key is remembered after its first request: long enough for a retry, bounded for memory.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Idempotency:KeyLifetime must be from {1} to {2}.")]
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many keys are held at most, from all clients together: the last resort that bounds memory.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Idempotency:Capacity must be from {1} to {2}.")]
    public int Capacity { get; set; } = 10_000;

    /// <summary>
    /// How many live keys one client may hold, so that one client minting fresh keys in a loop runs into its
    /// own quota (429) long before it could fill <see cref="Capacity"/> for everyone.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Idempotency:PerClientCapacity must be from {1} to {2}.")]
    public int PerClientCapacity { get; set; } = 200;
}
