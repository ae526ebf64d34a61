using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Progress;

public sealed class ProgressOptions : IValidatableObject
{
    public const string SectionName = "Progress";

    /// <summary>Off: no request is observed or graded, the Learner header is ignored and boards stay empty.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Learners held at most; past it the one inactive longest is forgotten.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Progress:MaxLearners must be from {1} to {2}.")]
    public int MaxLearners { get; set; } = 1_000;

    /// <summary>
    /// Learner names one address may hold at once (a name is its address's while its board lives); past it the
    /// address's new names are refused, never another address's board dropped. Refused rather than its own oldest
    /// board dropped: each name is also a share of the per-client limits, so a flooder cycling names would otherwise
    /// earn fresh shares without end, and a classmate behind the same NAT would lose a board to it.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Progress:MaxLearnersPerAddress must be from {1} to {2}.")]
    public int MaxLearnersPerAddress { get; set; } = 32;

    /// <summary>Recent requests kept per learner for the board's history; the oldest go first.</summary>
    [Range(1, 10_000, ErrorMessage = "Progress:MaxEventsPerLearner must be from {1} to {2}.")]
    public int MaxEventsPerLearner { get; set; } = 50;

    /// <summary>How long a learner's progress is kept after its last request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Progress:LearnerLifetime must be from {1} to {2}.")]
    public TimeSpan LearnerLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Requests waiting to be graded at most; past it they are left ungraded rather than slow the server.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Progress:QueueCapacity must be from {1} to {2}.")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// With Store=PostgreSql, graded requests the shared progress log keeps at most (besides dropping those older
    /// than <see cref="LearnerLifetime"/>): what an instance replays when it starts.
    /// </summary>
    [Range(1_000, 10_000_000, ErrorMessage = "Progress:SharedLogCapacity must be from {1} to {2}.")]
    public int SharedLogCapacity { get; set; } = 100_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLearnersPerAddress > MaxLearners)
        {
            yield return new ValidationResult(
                "Progress:MaxLearnersPerAddress must not exceed Progress:MaxLearners.", [nameof(MaxLearnersPerAddress)]);
        }
    }
}
