using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Races;

/// <summary>Lesson 6 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class CheckThenActLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "check-then-act",
        "Lesson 6: check-then-act races",
        "Two simultaneous requests both pass a uniqueness check before either writes: the check and the write are separate steps.",
        "POST /naive/register is DELIBERATELY WRONG: it does what the article's code does — look the name up in an " +
        "ordinary list, then, after a think time that stands for a database round trip (thinkTimeMs, 0–2000 ms, " +
        "300 by default), append it. Every request that arrives during the think time passes the same check, so a " +
        "burst of registrations of one fresh name gets several 201s and the list holds the name several times. " +
        "POST /register answers the same burst with exactly one 201 and 409 for the rest. The fixes, side by side: " +
        "an atomic add, where the check is part of the write (this server's in-memory store looks the name up and " +
        "inserts it inside one lock; ConcurrentDictionary.TryAdd is the lock-free form); a unique index, where the " +
        "database refuses the second insert (this server's PostgreSQL store: SQLSTATE 23505 becomes the 409); a " +
        "lock around check and add, which is correct in one process only and useless across instances (lesson 5). " +
        "The race lab at /lab fires both bursts from your browser and charts them; the client's race command does " +
        "the same from the command line. POST /lab/races plans a race (a fresh name, 2–200 racers), " +
        "GET /lab/races/{username} shows what each store holds, DELETE /naive/names empties your naive list (each client has its own).",
        [
            "POST /lab/races {\"racers\":30} → 201, a fresh username such as race_3f9a1c2b, and connections (Fairness:ConnectionsPerClient: how many of your requests the server takes at once)",
            "POST /naive/register ×30 at once {\"username\":\"race_3f9a1c2b\"} → several 201 (deliberately wrong), the rest 409 username-taken",
            "POST /register ×30 at once {\"username\":\"race_3f9a1c2b\"} → exactly one 201, 29 × 409 username-taken",
            "GET /lab/races/race_3f9a1c2b → 200, naiveCopies > 1, registered: true",
            "open /lab to run it in the browser",
        ],
        "For a client, a 409 from a correct server is lesson 0: pick another name. For the server's author: never " +
        "check, then act — make the check part of the write (an atomic add or a unique index), and distrust any " +
        "201 that check-then-act code sends.",
        [UserProblemTypes.UsernameTaken.Uri, ProblemTypes.StoreFull.Uri],
        "RFC 9110 §15.5.10; time-of-check to time-of-use (CWE-367); SQL unique constraints.",
        [
            nameof(RaceEndpoints.RegisterNaively), nameof(RegistrationEndpoints.Register), nameof(RaceEndpoints.PlanRace),
            nameof(RaceEndpoints.GetRaceOutcome), nameof(RaceEndpoints.ClearNaiveNames),
        ],
        Recipes: Recipe.For("Races", "lesson6"));

    public Lesson Lesson => Entry;

    public ILessonJudge? Judge { get; } = new CheckThenActJudge();

    public void AddServices(IServiceCollection services) => services.AddRaceLab();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapRaceEndpoints();
    }
}
