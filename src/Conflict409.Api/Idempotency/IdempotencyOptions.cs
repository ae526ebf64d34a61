namespace Conflict409.Api.Idempotency;

public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key is remembered after its first request.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many keys are held at most.</summary>
    public int Capacity { get; set; } = 10_000;
}
