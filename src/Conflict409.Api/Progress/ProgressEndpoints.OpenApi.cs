namespace Conflict409.Api.Progress;

/// <summary>The OpenAPI prose of the progress board's endpoints.</summary>
public static partial class ProgressEndpoints
{
    private const string GetProgressDescription = $"""
        The server watches every request and grades how the client handles each lesson's conflict: **not-started**,
        **conflict-seen** (the 409, or its 412/422/428/429 neighbour, was provoked) or **recovered** (the client
        then did what the lesson's recovery says), with each mistake counted and its fix. You are the name in the
        optional `{Learner.HeaderName}` header, or your address without it; `?learner=` shows another board.
        A name belongs to the address that first sent it while its board lives: from another address this board
        answers 409 `learner-name-taken` (choose another name), and one address holds at most
        `Progress:MaxLearnersPerAddress` names (429 `too-many-learner-names`). A lesson's own request is never
        refused for its `{Learner.HeaderName}` header: it is served, graded under your address, and its response
        says why in `{Learner.IgnoredHeaderName}`.
        The same board updates live at [{PagePath}]({PagePath}).
        """;

    private const string ResetProgressDescription = $"""
        Forgets what the server graded for you (the same learner as GET /progress), so every lesson is not-started
        again; the name stays yours. `?learner=` resets another board only if your address owns it (another name you
        used, or your address's board): one another address owns is 409 `learner-name-taken`, and nothing changes.
        """;

    private const string StreamProgressDescription =
        "What the live board page listens to: the board of GET /progress, sent again each time a request of yours changes it.";
}
