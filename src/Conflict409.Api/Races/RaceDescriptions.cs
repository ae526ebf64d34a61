namespace Conflict409.Api.Races;

/// <summary>Lesson 6's longer OpenAPI prose, kept apart so the endpoint file reads as routing and handlers.</summary>
public static class RaceDescriptions
{
    public const string RegisterNaively = """
        **Deliberately wrong — do not copy.** This is the article's registration code, in C#: look the name up in an
        ordinary list, *then* add it, as two separate steps. Between them the server waits `thinkTimeMs`
        (0–2000 ms, 300 by default), standing for the database round trip real code makes there. Every request that
        arrives during that pause passes the same check, so several simultaneous registrations of one name all get
        **201** and the list holds the name several times (the 201's `copies` says how many). Sent one at a time it
        behaves: the second gets **409** `username-taken`, exactly like `POST /register`.

        Send a burst at once (the client's `race` command, or the race lab at [/lab](/lab)) and compare with
        `POST /register`, which answers the same burst with exactly one 201: its check and its write are one step.
        Each client races in a naive list of its own, bounded (`RaceLab:NaiveCapacity`, then **507**) and emptied by its
        own `DELETE /naive/names`: another learner's race never adds to yours or erases it, and the real users never see it.
        With `Store=PostgreSql` your list lives in the database, still checked and added to in two steps: a burst split
        across several instances is one race in one list, and `GET /lab/races/{username}` shows it from any of them.
        """;

    public const string PlanRace = """
        Picks a fresh username and says where to send the two bursts: `racers` (2–200) simultaneous registrations to
        the naive endpoint (with `thinkTimeMs`, 0–2000 ms) and the same number to `POST /register`. Afterwards,
        `GET /lab/races/{username}` shows what each store holds. Out-of-range or malformed input is a **400** problem.
        """;
}
