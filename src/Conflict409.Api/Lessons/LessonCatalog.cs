using Conflict409.Api.Catalog;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Problems;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;

namespace Conflict409.Api.Lessons;

/// <summary>
/// The lessons, in teaching order: the one place a lesson is defined. Adding a lesson is one entry here, in
/// order: its Swagger UI tag and tag description, its <c>GET /lessons</c> entry and the tags of the endpoints it
/// names all follow from it. An endpoint joins a lesson's Swagger section by being
/// named (by its <c>WithName</c>, the handler's name) in <see cref="Lesson.Endpoints"/>, never by <c>WithTags</c>.
/// Problem types live in <see cref="ProblemTypes"/> the same way.
/// </summary>
public static class LessonCatalog
{
    // First: static fields initialise in the order they are written, and each entry below adds itself here.
    private static readonly List<Lesson> Lessons = [];

    public static readonly Lesson DuplicateRegistration = Add(new(
        "duplicate-registration",
        "Lesson 0: duplicate registration",
        "A resource with the same unique identifier already exists.",
        "POST /register creates a user. A second registration of the same username conflicts with the existing " +
        "account and gets 409 with a problem that names it. Hundreds of simultaneous registrations of one name " +
        "give exactly one 201: the store's add is a single atomic step. A name that merely looks like an existing " +
        "one (Cyrillic 'ѕсоре' beside 'scope', a dotless 'ı' in 'jane_smıth') conflicts too, so no one can " +
        "impersonate an account. The username rules: " + UsernameRules.Description,
        [
            "POST /register {\"username\":\"{name}\"} → 201",
            "POST /register {\"username\":\"{name}\"} → 409 username-taken (now it exists)",
            "POST /register {\"username\":\"john_doe\"} → 409 username-taken",
            "POST /register {\"username\":\"ＪＯＨＮ＿ＤＯＥ\"} → 409 username-taken",
            "POST /register {\"username\":\"jane_smıth\"} → 409 username-look-alike",
            "POST /register {\"username\":\"{other}\"} → 201 (recovered: another name)",
        ],
        "Do not retry unchanged: ask the user for another username (the problem's existingUsername says who holds it).",
        [ProblemTypes.UsernameTaken.Uri, ProblemTypes.UsernameLookAlike.Uri],
        "RFC 9110 §15.5.10 (409 Conflict), RFC 9457 problem details, RFC 8265 (PRECIS usernames).",
        [nameof(RegistrationEndpoints.Register), nameof(UserEndpoints.ListUsers)],
        new Dictionary<string, string> { ["name"] = "new_", ["other"] = "other_" },
        Recipe.For("Users", "lesson0")));

    public static readonly Lesson Versioning = Add(new(
        "versioning",
        "Lesson 1: version mismatch and concurrent updates",
        "Concurrent updates / version mismatch (optimistic concurrency).",
        "Every user has a profile and a version that starts at 1; GET /users/{username} returns it with a strong " +
        "ETag. PUT /users/{username}/profile edits it. " + UpdateRules.Preconditions + " An unknown user is 404 " +
        "before any precondition is judged (RFC 9110 §13.2.1). " + UpdateRules.CreateOnly + " The update is a compare-and-swap: of N concurrent updates " +
        "from one version exactly one wins. A scraper that cached an ETag or version and replays it after the " +
        "page changed gets 412 or 409; lesson 7 shows the same with a session that went stale.",
        [
            "POST /register {\"username\":\"{user}\"} → 201 (your own user for this lesson)",
            "GET /users/{user} → 200, ETag: \"1\"",
            "PUT /users/{user}/profile If-Match: \"1\" {\"displayName\":\"Edited by B\"} → 200, ETag: \"2\" (another client's edit)",
            "PUT /users/{user}/profile If-Match: \"1\" {\"displayName\":\"Edited by A\"} → 412 precondition-failed",
            "PUT /users/{user}/profile {\"displayName\":\"Edited by A\",\"version\":1} → 409 version-mismatch",
            "PUT /users/{user}/profile {\"displayName\":\"Edited by A\"} → 428 precondition-required",
            "GET /users/{user} → 200, ETag: \"2\" (re-read: B's edit is there)",
            "PUT /users/{user}/profile If-Match: \"2\" {\"displayName\":\"Edited by A\"} → 200, ETag: \"3\" (recovered)",
            "PUT /users/jane_smith If-None-Match: * → 412 precondition-failed",
        ],
        "Re-read the resource (GET), re-apply your change to the fresh copy, and retry with the new ETag or " +
        "version. Never retry the stale request unchanged.",
        [ProblemTypes.VersionMismatch.Uri, ProblemTypes.PreconditionFailed.Uri, ProblemTypes.PreconditionRequired.Uri],
        "RFC 9110 §13 (conditional requests, ETag, If-Match, If-None-Match), RFC 6585 §3 (428), " +
        "Kubernetes resourceVersion, CouchDB _rev.",
        [nameof(UserEndpoints.GetUser), nameof(ProfileEndpoints.UpdateProfile), nameof(RegistrationEndpoints.CreateUserIfAbsent)],
        new Dictionary<string, string> { ["user"] = "editor_" },
        Recipe.For("Users", "lesson1")));

    public static readonly Lesson ReferencedResource = Add(new(
        "referenced-resource",
        "Lesson 2: deleting what others reference",
        "Resource state conflict: the operation would break other resources.",
        "Teams name an owner and members. DELETE /users/{username} answers 204 when nothing references the " +
        "user, and 409 when a team owns or lists it, with the blocking resources' paths in blockedBy. A team " +
        "that names unknown users is refused with 422, and a duplicate team name with 409. Team creation and " +
        "user deletion are atomic with respect to each other: no race can leave a team naming a deleted user.",
        [
            "POST /register {\"username\":\"{owner}\"} → 201 (your own users and team for this lesson)",
            "POST /register {\"username\":\"{member}\"} → 201",
            "POST /teams {\"name\":\"{team}\",\"owner\":\"{owner}\",\"members\":[\"{member}\"]} → 201",
            "DELETE /users/{member} → 409 user-referenced, blockedBy [\"/teams/{team}\"]",
            "DELETE /teams/{team} → 204",
            "DELETE /users/{member} → 204",
        ],
        "Remove or delete each resource in blockedBy first, then retry the delete.",
        [ProblemTypes.UserReferenced.Uri, ProblemTypes.TeamNameTaken.Uri, ProblemTypes.UnknownTeamMembers.Uri],
        "RFC 9110 §15.5.10; the same rule a foreign key enforces in a database.",
        [nameof(UserEndpoints.DeleteUser), nameof(TeamEndpoints.CreateTeam), nameof(TeamEndpoints.GetTeam), nameof(TeamEndpoints.DeleteTeam)],
        new Dictionary<string, string> { ["owner"] = "owner_", ["member"] = "member_", ["team"] = "team_" },
        Recipe.For("Teams", "lesson2")));

    public static readonly Lesson RetriedRequests = Add(new(
        "idempotency-key",
        "Lesson 3: retried requests and Idempotency-Key",
        "A retry of a request that is still in flight.",
        "POST /register accepts an Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header). " +
        IdempotencyRules.Semantics + " The number of keys held is bounded (Idempotency:PerClientCapacity per " +
        "client, Idempotency:Capacity in all). " + IdempotencyRules.KeyFormat + " " + IdempotencyRules.Hold,
        [
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{user}\"} → 201",
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{user}\"} → 201 again, Idempotent-Replayed: true",
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{other}\"} → 422 idempotency-key-reused",
            "POST /register?holdMs=8000 Idempotency-Key: \"{heldKey}\" {\"username\":\"{held}\"} → (held 8 s) 201",
            "the same request from a second terminal or tab within the 8 s → 409 idempotency-key-in-use, Retry-After: n (the rest of the hold)",
            "after n seconds, the same key and payload → 201 again, Idempotent-Replayed: true (recovered)",
        ],
        "After a 409 for an in-flight key, wait Retry-After seconds and retry with the same key and payload. " +
        "After a 422, generate a new key: it is a new operation.",
        [ProblemTypes.IdempotencyKeyInUse.Uri, ProblemTypes.IdempotencyKeyReused.Uri, ProblemTypes.InvalidIdempotencyKey.Uri],
        "IETF draft-ietf-httpapi-idempotency-key-header, RFC 8941 structured fields.",
        [nameof(RegistrationEndpoints.Register)],
        new Dictionary<string, string>
        {
            ["key"] = "k-", ["user"] = "retry_", ["other"] = "other_", ["heldKey"] = "held-k-", ["held"] = "held_",
        },
        Recipe.For("Idempotency", "lesson3")));

    public static readonly Lesson BlockingGet = Add(new(
        "blocking-get",
        "Lesson 4: 409 on GET to block scrapers (non-standard)",
        "Servers that answer 409 to block clients, such as scrapers.",
        "NON-STANDARD — a quirk of some servers, shown so you can recognise it. GET /catalog/products is rate " +
        "limited per client by ASP.NET Core's rate limiter. Over the limit this server answers 409 with " +
        "Retry-After by default, as the article saw when scraping; set Catalog:RateLimit:RejectionStatusCode " +
        "to 429 for the correct behaviour. A GET cannot conflict with anything, so a 409 on GET with Retry-After " +
        "and a blocking problem type means \"slow down\", not \"resolve a conflict\". The scraper's other 409, " +
        "a session whose view went stale, is lesson 7.",
        [
            "GET /catalog/products?page=1 (repeat past Catalog:RateLimit:PermitLimit) → 409 blocked-by-rate-limit, Retry-After",
            "after waiting the Retry-After seconds: GET /catalog/products?page=1 → 200 (recovered)",
            "with Catalog:RateLimit:RejectionStatusCode=429 → 429 too-many-requests, Retry-After",
        ],
        "Honour Retry-After, slow down, and spread requests out; do not treat it as a data conflict.",
        [ProblemTypes.BlockedByRateLimit.Uri, ProblemTypes.TooManyRequests.Uri],
        "Non-standard for 409; the correct status is 429 (RFC 6585 §4) with Retry-After (RFC 9110 §10.2.3).",
        [nameof(CatalogEndpoints.ListProducts)],
        Recipes: Recipe.For("Catalog", "lesson4")));

    public static readonly Lesson SeveralInstances = Add(new(
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
        [ProblemTypes.UsernameTaken.Uri, ProblemTypes.VersionMismatch.Uri],
        "PostgreSQL unique indexes and foreign keys (SQLSTATE 23505, 23503), EF Core concurrency tokens.",
        [nameof(RegistrationEndpoints.Register)]));

    public static readonly Lesson CheckThenAct = Add(new(
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
        [ProblemTypes.UsernameTaken.Uri, ProblemTypes.StoreFull.Uri],
        "RFC 9110 §15.5.10; time-of-check to time-of-use (CWE-367); SQL unique constraints.",
        [
            nameof(RaceEndpoints.RegisterNaively), nameof(RegistrationEndpoints.Register), nameof(RaceEndpoints.PlanRace),
            nameof(RaceEndpoints.GetRaceOutcome), nameof(RaceEndpoints.ClearNaiveNames),
        ],
        Recipes: Recipe.For("Races", "lesson6")));

    public static readonly Lesson StaleSession = Add(new(
        "stale-session",
        "Lesson 7: a stale session while scraping",
        "A persistent session whose view of the state went stale: the client submits what it saw, the state moved on.",
        "Scraped sites keep state in the client's session. GET /shop/cart is the page: the first read starts a " +
        "session (ASP.NET Core's session behind an HttpOnly, SameSite cookie; a new cart holds one widget), returns " +
        "a form token (ASP.NET Core antiforgery), and records in the session which cart the page showed. " +
        "POST /shop/cart/items stands for another tab or request changing the cart: the cart's revision goes up, the " +
        "session's view does not. POST /shop/checkout then answers 409 stale-session, naming the cart the session saw " +
        "(expected) and the current one. Re-reading the page refreshes the session's view, and the same checkout " +
        "succeeds. What is not a 409: no session cookie, or one naming no live session (expired, evicted, forged, or " +
        "its order placed), is 400 session-required — there is no state to conflict with; a missing or forged form " +
        "token is 403 form-token-invalid — the request cannot be tied to a page the server served. Sessions expire " +
        "(Shop:SessionIdleTimeout) and are bounded in total (Shop:SessionStoreBytes); a cart holds at most 10 items.",
        [
            "GET /shop/cart → 200, session and antiforgery cookies, formToken, revision 1",
            "POST /shop/cart/items X-Form-Token: … {\"productId\":2} → 201, revision 2 (another tab)",
            "POST /shop/checkout X-Form-Token: … → 409 stale-session, expected revision 1, current revision 2",
            "GET /shop/cart → 200, revision 2 (the session's view refreshed)",
            "POST /shop/checkout X-Form-Token: … → 200, the order",
            "POST /shop/checkout (without cookies) → 400 session-required",
            "GET /shop/cart → 200, a new cart for a new order",
            "POST /shop/checkout X-Form-Token: forged → 403 form-token-invalid",
        ],
        "Re-read the page (GET /shop/cart) with the same session, check what changed, then submit again; never " +
        "replay the stale submission. A 400 means start a session; a 403 means fetch a fresh form token.",
        [ProblemTypes.StaleSession.Uri, ProblemTypes.SessionRequired.Uri, ProblemTypes.FormTokenInvalid.Uri, ProblemTypes.StoreFull.Uri],
        "RFC 9110 §15.5.10 (409) and §15.5.4 (403); RFC 6265 cookies (HttpOnly, SameSite); OWASP CSRF prevention (synchronizer token).",
        [nameof(ShopEndpoints.ReadCart), nameof(ShopEndpoints.AddCartItem), nameof(ShopEndpoints.Checkout)],
        Recipes: Recipe.For("Shop", "lesson7")));

    /// <summary>Every lesson, in the order of the entries above.</summary>
    public static IReadOnlyList<Lesson> All => Lessons;

    private static Lesson Add(Lesson lesson)
    {
        Lessons.Add(lesson);
        return lesson;
    }
}
