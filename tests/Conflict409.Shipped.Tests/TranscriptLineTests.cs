namespace Conflict409.Shipped.Tests;

/// <summary>
/// The comparison <see cref="ReadmeTranscriptTests"/> relies on: it forgives exactly the values that change on every
/// run and the documents' abbreviations, and nothing a learner would act on.
/// </summary>
public sealed class TranscriptLineTests
{
    private const string Conflict =
        """{"type":"/problems/stale-session","title":"The session's view of the cart is stale.","status":409,"detail":"This session last showed the cart at revision 1.","instance":"/shop/checkout","traceId":"0HNQE3RAM07K1:00000001"}""";

    [Theory]
    [InlineData("  → GET /users/editor_19a7e1", "  → GET /users/editor_f37db6")]
    [InlineData("  → POST /register [Idempotency-Key: \"tour-19a7e1\"]", "  → POST /register [Idempotency-Key: \"tour-0a0b0c\"]")]
    [InlineData("Race: 100 simultaneous registrations of race_869bb9bf", "Race: 100 simultaneous registrations of race_7534967c")]
    [InlineData("""{"orderId":"order_6ff601c2","total":4.5}""", """{"orderId":"order_69d57a92","total":4.5}""")]
    [InlineData("""{"formToken":"CfDJ8GBp3OjCr_pNqhueJjaX-jawkupmIQJW…"}""", """{"formToken":"CfDJ8ByvfctnYwJAk-dRK75vlHTgKEqsU"}""")]
    [InlineData("""{"registeredAt":"2026-01-01T00:00:00+00:00"}""", """{"registeredAt":"2026-12-07T15:15:47.5892572+00:00"}""")]
    [InlineData("Date: Mon, 07 Dec 2026 15:00:00 GMT", "Date: Tue, 08 Dec 2026 09:12:01 GMT")]
    [InlineData(Conflict, """{"type":"/problems/stale-session","title":"The session's view of the cart is stale.","status":409,"detail":"This session last showed the cart at revision 1.","instance":"/shop/checkout","traceId":"0HNQKEJS78RE8:0000000B"}""")]
    [InlineData("""  ← 200 OK [ETag: "1"] {"username":"editor_19a7e1",...,"version":1}""", """  ← 200 OK [ETag: "1"] {"username":"editor_f37db6","registeredAt":"2026-12-07T15:15:47+00:00","bio":null,"version":1}""")]
    public void A_line_matches_when_only_its_volatile_values_or_abbreviations_differ(string shown, string real)
    {
        TranscriptLine.FindMismatch([shown], [real]).Should().BeNull();
    }

    [Theory]
    [InlineData("HTTP/1.1 409 Conflict", "HTTP/1.1 412 Precondition Failed")]
    [InlineData("Retry-After: 8", "Retry-After: 7")]
    [InlineData("Content-Type: application/problem+json", "Content-Type: application/json; charset=utf-8")]
    [InlineData(Conflict, """{"type":"/problems/version-mismatch","title":"The session's view of the cart is stale.","status":409,"detail":"This session last showed the cart at revision 1.","instance":"/shop/checkout","traceId":"0HNQE3RAM07K1:00000001"}""")]
    [InlineData(Conflict, """{"type":"/problems/stale-session","title":"The session's view of the cart is stale.","status":409,"detail":"This session last showed the cart at revision 2.","instance":"/shop/checkout","traceId":"0HNQE3RAM07K1:00000001"}""")]
    [InlineData("  → GET /users/editor_19a7e1", "  → GET /users/member_19a7e1")]
    [InlineData("  → GET /users/editor_19a7e1", "  → GET /users/editor_19a7e1x")]
    [InlineData("""{"username":"john_doe"}""", """{"username":"jane_smith"}""")]
    [InlineData("""  ← 200 OK [ETag: "1"] {"username":"editor_19a7e1",...,"version":1}""", """  ← 200 OK [ETag: "2"] {"username":"editor_19a7e1","version":1}""")]
    public void A_line_does_not_match_when_anything_a_learner_acts_on_differs(string shown, string real)
    {
        TranscriptLine.FindMismatch([shown], [real]).Should().NotBeNull();
    }

    [Fact]
    public void The_shown_lines_must_appear_in_their_order_though_real_lines_may_come_between()
    {
        string[] real = ["HTTP/1.1 409 Conflict", "Content-Type: application/problem+json", "Retry-After: 8", "", "{}"];

        TranscriptLine.FindMismatch(["HTTP/1.1 409 Conflict", "Retry-After: 8", "{}"], real).Should().BeNull();
        TranscriptLine.FindMismatch(["Retry-After: 8", "HTTP/1.1 409 Conflict"], real).Should().NotBeNull();
    }

    [Fact]
    public void A_console_block_is_read_as_commands_each_with_the_lines_it_prints()
    {
        var transcripts = ConsoleTranscript.ReadAll("docs/try.md", """
            ## Try it
            ```console
            $ curl -i http://localhost:5000/healthz
            HTTP/1.1 200 OK

            Healthy

            $ curl http://localhost:5000/lessons
            [...]
            ```
            """);

        transcripts.Should().ContainSingle().Which.Should().BeEquivalentTo(new ConsoleTranscript("docs/try.md", 2, "Try it",
        [
            new TranscriptCommand("curl -i http://localhost:5000/healthz", ["HTTP/1.1 200 OK", "", "Healthy"]),
            new TranscriptCommand("curl http://localhost:5000/lessons", ["[...]"]),
        ]));
        transcripts[0].Label.Should().Be("docs/try.md line 2 (Try it): $ curl -i http://localhost:5000/healthz");
    }
}
