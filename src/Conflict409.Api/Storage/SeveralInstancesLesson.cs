using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Storage;

/// <summary>Lesson 5 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class SeveralInstancesLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "several-instances",
        "Lesson 5: several instances, one truth",
        "A unique constraint or row version in a shared database (the 409 most developers meet at work).",
        "The in-memory store is right for one process: run two instances and each keeps its own users, so the " +
        "same username registers twice — the trap of scaling out a process-local store. With Store=PostgreSql " +
        "the database decides: the unique index on the normalised username refuses the second insert " +
        "(SQLSTATE 23505), which becomes the same 409 as in memory; the profile update is a conditional UPDATE " +
        "on the row version; foreign keys refuse a dangling team member; idempotency keys are rows, so a key " +
        "in flight on one instance is in flight on all. The rate limiter stays per instance. A database that " +
        "cannot be reached is a 503 with Retry-After, and /healthz reports it.",
        [
            "dotnet run --project src/Conflict409.Api -- --Store=PostgreSql --ConnectionStrings:Conflict409=\"Host=...\" --urls http://localhost:5000",
            "the same on --urls http://localhost:5001",
            "POST :5000/register {\"username\":\"twin\"} → 201, then POST :5001/register {\"username\":\"twin\"} → 409",
            "with the default in-memory store, both → 201: each instance has its own users",
        ],
        "Same as lesson 0 for the client; for the operator, put the truth where every instance can see it.",
        [UserProblemTypes.UsernameTaken.Uri, UserProblemTypes.VersionMismatch.Uri],
        "PostgreSQL unique indexes and foreign keys (SQLSTATE 23505, 23503), EF Core concurrency tokens.",
        [nameof(RegistrationEndpoints.Register)]);

    public Lesson Lesson => Entry;

    public ILessonJudge? Judge => null;

    public string? NotGradedBecause => "Its 409 reaches a client as lesson 0's: nothing a client does tells the two apart.";
}
