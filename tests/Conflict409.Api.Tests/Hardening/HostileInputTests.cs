using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Hardening;

/// <summary>
/// What a class of students throws at a teaching server. Every request must get a 4xx with a problem+json
/// body — never a 5xx — and leave the store exactly as it was.
/// </summary>
public sealed class HostileInputTests
{
    private sealed record HostileRequest(HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers);

    private static HostileRequest Json(string path, string json, params (string, string)[] headers) =>
        new(path.StartsWith("PUT ", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post,
            path.Replace("PUT ", "", StringComparison.Ordinal), Encoding.UTF8.GetBytes(json), "application/json", headers);

    private static HostileRequest Raw(string path, byte[] body, string? contentType = "application/json") =>
        new(HttpMethod.Post, path, body, contentType, []);

    private static HostileRequest Register(string json, params (string, string)[] headers) => Json("/register", json, headers);

    private static HostileRequest Username(string username) =>
        Register(System.Text.Json.JsonSerializer.Serialize(new { username }));

    private static readonly Dictionary<string, HostileRequest> Corpus = new()
    {
        // Bytes that are not UTF-8, or not JSON
        ["invalid UTF-8 byte"] = Raw("/register", [.. "{\"username\":\""u8, 0xFF, 0xFE, .. "\"}"u8]),
        ["overlong UTF-8 encoding of '/'"] = Raw("/register", [.. "{\"username\":\"a"u8, 0xC0, 0xAF, .. "b\"}"u8]),
        ["truncated UTF-8 sequence"] = Raw("/register", [.. "{\"username\":\"ab"u8, 0xE2, 0x82, .. "\"}"u8]),
        ["UTF-16 body sent as UTF-8"] = Raw("/register", Encoding.Unicode.GetBytes("{\"username\":\"utf16_user\"}")),
        ["bare NUL bytes"] = Raw("/register", [0, 0, 0, 0]),
        ["empty object key"] = Register("""{"":"x"}"""),
        ["trailing garbage"] = Register("""{"username":"trailing_user"} garbage"""),
        ["two JSON documents"] = Register("""{"username":"first_doc"}{"username":"second_doc"}"""),
        ["single quotes"] = Register("{'username':'single_quoted'}"),
        ["comment in JSON"] = Register("""{"username":"commented_user" /* hi */}"""),
        ["trailing comma"] = Register("""{"username":"comma_user",}"""),
        ["unterminated string"] = Register("""{"username":"open"""),
        ["just a string"] = Register("\"john_doe\""),
        ["just null"] = Register("null"),
        ["just a number"] = Register("42"),
        ["an array of objects"] = Register("""[{"username":"array_user"}]"""),
        // Structure meant to exhaust the parser or confuse the binder
        ["deeply nested arrays"] = Register("{\"username\":" + new string('[', 5_000) + new string(']', 5_000) + "}"),
        ["deeply nested objects"] = Register(string.Concat(Enumerable.Repeat("{\"a\":", 1_000)) + "1" + new string('}', 1_000)),
        ["duplicate username keys"] = Register("""{"username":"dup_a","username":"dup_b"}"""),
        ["duplicate keys differing in case"] = Register("""{"username":"case_a","Username":"case_b"}"""),
        ["huge number"] = Register("""{"username":1e400}"""),
        ["long digit string as number"] = Register("{\"username\":" + new string('9', 3_000) + "}"),
        ["negative zero"] = Register("""{"username":-0}"""),
        ["boolean username"] = Register("""{"username":false}"""),
        ["array username"] = Register("""{"username":["a","b","c"]}"""),
        ["object username"] = Register("""{"username":{"$ref":"john_doe"}}"""),
        // Usernames that try to smuggle characters past the rules
        ["NUL in username"] = Username("john\0doe"),
        ["escaped NUL in username"] = Register("""{"username":"john\u0000doe"}"""),
        ["newline (log forging)"] = Username("evil\nINFO: Registered user admin"),
        ["carriage return"] = Username("evil\r\nadmin"),
        ["escape sequence (terminal injection)"] = Username("evil\u001b[31mred"),
        ["bell and backspace"] = Username("ab\u0007\bc"),
        ["tab"] = Username("tab\tuser"),
        ["right-to-left override"] = Username("\u202Eresu_live"),
        ["left-to-right isolate"] = Username("abc\u2066def"),
        ["zero-width space"] = Username("john\u200B_doe"),
        ["zero-width joiner"] = Username("jo\u200Dhn"),
        ["byte order mark"] = Username("\uFEFFjohn_doe_2"),
        ["soft hyphen"] = Username("jo\u00ADhn"),
        ["lone high surrogate"] = Register("""{"username":"ab\ud800cd"}"""),
        ["lone low surrogate"] = Register("""{"username":"ab\udc00cd"}"""),
        ["Cyrillic o in a Latin name (confusable)"] = Username("j\u043Ehn_doe"),
        ["Greek omicron in a Latin name (confusable)"] = Username("j\u03BFhn_doe"),
        ["full-width spelling of a seeded user"] = Username("ｊｏｈｎ＿ｄｏｅ"),
        ["mathematical bold spelling of a seeded user"] = Username("𝐣𝐨𝐡𝐧_𝐝𝐨𝐞"),
        ["emoji"] = Username("cool😀user"),
        ["path traversal"] = Username("../../etc/passwd"),
        ["SQL injection"] = Username("x'; DROP TABLE users;--"),
        ["HTML injection"] = Username("<script>alert(1)</script>"),
        ["very long username"] = Username(new string('a', 3_000)),
        ["only dots"] = Username("..."),
        ["private-use character"] = Username("ab\uE000c"),
        // Content types and charsets
        ["no content type"] = Raw("/register", "{\"username\":\"no_type\"}"u8.ToArray(), null),
        ["text/plain"] = Raw("/register", "{\"username\":\"plain_type\"}"u8.ToArray(), "text/plain"),
        ["form encoding"] = Raw("/register", "username=form_user"u8.ToArray(), "application/x-www-form-urlencoded"),
        ["multipart"] = Raw("/register", "--x\r\n\r\nmultipart_user\r\n--x--"u8.ToArray(), "multipart/form-data; boundary=x"),
        ["XML"] = Raw("/register", "<username>xml_user</username>"u8.ToArray(), "application/xml"),
        ["unknown charset"] = Raw("/register", "{\"username\":\"bogus_charset\"}"u8.ToArray(), "application/json; charset=klingon"),
        ["UTF-32 charset on UTF-8 bytes"] = Raw("/register", "{\"username\":\"utf32_user\"}"u8.ToArray(), "application/json; charset=utf-32"),
        // Headers
        ["malformed Idempotency-Key"] = Register("""{"username":"key_user"}""", ("Idempotency-Key", "\"unterminated")),
        ["Idempotency-Key with control character"] = Register("""{"username":"key_user"}""", ("Idempotency-Key", "\"a\u0001b\"")),
        ["empty quoted Idempotency-Key"] = Register("""{"username":"key_user"}""", ("Idempotency-Key", "\"\"")),
        ["malformed If-Match"] = Json("PUT /users/john_doe/profile", """{"displayName":"x"}""", ("If-Match", "not-an-etag")),
        ["If-Match list with garbage"] = Json("PUT /users/john_doe/profile", """{"displayName":"x"}""", ("If-Match", "\"1\", garbage")),
        ["stale If-Match"] = Json("PUT /users/john_doe/profile", """{"displayName":"x"}""", ("If-Match", "\"999\"")),
        ["weak If-Match"] = Json("PUT /users/john_doe/profile", """{"displayName":"x"}""", ("If-Match", "W/\"1\"")),
        // Profile and team bodies
        ["negative version"] = Json("PUT /users/john_doe/profile", """{"displayName":"x","version":-1}"""),
        ["version as a string"] = Json("PUT /users/john_doe/profile", """{"displayName":"x","version":"1"}"""),
        ["version overflowing long"] = Json("PUT /users/john_doe/profile", """{"displayName":"x","version":99999999999999999999}"""),
        ["display name too long"] = Json("PUT /users/john_doe/profile", "{\"displayName\":\"" + new string('x', 100) + "\",\"version\":1}"),
        ["duplicate version keys"] = Json("PUT /users/john_doe/profile", """{"displayName":"x","version":1,"version":1}"""),
        ["team members not an array"] = Json("/teams", """{"name":"evil","owner":"john_doe","members":"jane_smith"}"""),
        ["team with too many members"] = Json("/teams", "{\"name\":\"evil\",\"owner\":\"john_doe\",\"members\":[" + string.Join(',', Enumerable.Repeat("\"jane_smith\"", 101)) + "]}"),
        ["team with a null member"] = Json("/teams", """{"name":"evil","owner":"john_doe","members":[null]}"""),
        ["team owner as a number"] = Json("/teams", """{"name":"evil","owner":7}"""),
        ["team with a bidi name"] = Json("/teams", """{"name":"evil\u202Egnp","owner":"john_doe"}"""),
        ["team with duplicate name keys"] = Json("/teams", """{"name":"evil","name":"good","owner":"john_doe"}"""),
        // Wrong methods
        ["PATCH /register"] = new(HttpMethod.Patch, "/register", "{}"u8.ToArray(), "application/json", []),
        ["GET /register"] = new(HttpMethod.Get, "/register", null, null, []),
        ["DELETE /teams"] = new(HttpMethod.Delete, "/teams", null, null, []),
        ["POST /users/john_doe"] = new(HttpMethod.Post, "/users/john_doe", "{}"u8.ToArray(), "application/json", []),
    };

    public static TheoryData<string> Names => [.. Corpus.Keys];

    [Fact]
    public void The_corpus_holds_at_least_sixty_hostile_requests() => Corpus.Should().HaveCountGreaterThanOrEqualTo(60);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_request_gets_a_4xx_problem_and_leaves_the_store_unchanged(string name)
    {
        var hostile = Corpus[name];
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var before = await SnapshotAsync(app);

        using var request = new HttpRequestMessage(hostile.Method, hostile.Path);
        if (hostile.Body is not null)
        {
            request.Content = new ByteArrayContent(hostile.Body);
            if (hostile.ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(hostile.ContentType);
            }
        }

        foreach (var (header, value) in hostile.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value).Should().BeTrue();
        }

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().BeInRange(400, 499, name);
        response.Content.Headers.ContentType?.MediaType.Should().Be(HttpAssertions.ProblemJson, name);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("   at ", "no stack trace leaks").And.NotContain("Exception");
        (await SnapshotAsync(app)).Should().Equal(before, name);
        (await client.GetAsync("/teams/evil")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        app.Logs.GetSnapshot().Should().NotContain(record => record.Message.Any(char.IsControl),
            "untrusted input must never reach a log line raw");
    }

    private static async Task<List<string>> SnapshotAsync(Conflict409App app) =>
        [.. (await app.Store.ListAsync()).Select(user => $"{user.Username} v{user.Version} {user.Profile}")];
}
