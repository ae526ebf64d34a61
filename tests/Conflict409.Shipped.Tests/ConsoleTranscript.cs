using System.Text;
using System.Text.RegularExpressions;

namespace Conflict409.Shipped.Tests;

/// <summary>One command of a transcript (<c>$ command</c>) and the lines its document shows it printing.</summary>
public sealed record TranscriptCommand(string Text, IReadOnlyList<string> ExpectedOutput);

/// <summary>
/// A <c>```console</c> block of a document (the README or a lesson's walk-through): the document's path from the
/// repository root, the block's first line's number, the section it is in, its commands.
/// </summary>
public sealed record ConsoleTranscript(string Document, int Line, string Section, IReadOnlyList<TranscriptCommand> Commands)
{
    public string Label => $"{Document} line {Line} ({Section}): $ {Commands[0].Text}";

    /// <summary>Every <c>```console</c> block of <paramref name="markdown"/>, the text of <paramref name="document"/>, in order.</summary>
    public static IReadOnlyList<ConsoleTranscript> ReadAll(string document, string markdown)
    {
        var transcripts = new List<ConsoleTranscript>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var section = "";
        for (var index = 0; index < lines.Length; index++)
        {
            if (lines[index].StartsWith("## ", StringComparison.Ordinal))
            {
                section = lines[index][3..];
            }

            if (lines[index] != "```console")
            {
                continue;
            }

            var start = index + 1;
            var commands = new List<(string Text, List<string> Output)>();
            for (index = start; index < lines.Length && lines[index] != "```"; index++)
            {
                if (lines[index].StartsWith("$ ", StringComparison.Ordinal))
                {
                    commands.Add((lines[index][2..], []));
                }
                else if (commands.Count > 0)
                {
                    commands[^1].Output.Add(lines[index]);
                }
                else
                {
                    throw new FormatException($"{document} line {index + 1}: a console block starts with output, not a '$ ' command.");
                }
            }

            // A blank line separates one command's output from the next command; it is not output.
            transcripts.Add(new ConsoleTranscript(document, start, section, [.. commands.Select(command => new TranscriptCommand(
                command.Text, [.. Enumerable.Reverse(command.Output).SkipWhile(string.IsNullOrWhiteSpace).Reverse()]))]));
        }

        return transcripts;
    }
}

/// <summary>
/// How a line a document shows is compared with the line the server or client really printed. The shown lines
/// must appear, in order, among the real ones (a document may leave lines out: headers it trims, requests it skips).
/// Within a line, everything must be equal except what this list names, each narrowly, by its shape: anything else
/// that differs (a status, a header, a problem type, a detail, the order of lines) is a real change.
/// </summary>
public static partial class TranscriptLine
{
    /// <summary>Values that differ on every run, each with the pattern a real value must match in its place.</summary>
    public static IReadOnlyList<(string Name, Regex Shown, Func<Match, string> Real)> VolatileValues { get; } =
    [
        // Kestrel's connection id and the request's number on it: 0HNQE3RAM07K1:00000001.
        ("a traceId", TraceId(), _ => "[0-9A-V]{13}:[0-9A-F]{8}"),
        // The tour's run (editor_19a7e1, tour-19a7e1-2: six hex digits), a race's name (race_869bb9bf) and an order
        // (order_6ff601c2: eight): the same word, then as many hex digits, at least one of them 0-9.
        ("a generated name", GeneratedName(), shown => $"{Regex.Escape(shown.Groups["prefix"].Value)}(?=[a-f]*[0-9])[0-9a-f]{{{shown.Groups["digits"].Length}}}"),
        // An antiforgery form token (Data Protection's payloads start with CfDJ8).
        ("a form token", FormToken(), _ => "CfDJ8[A-Za-z0-9_-]+"),
        // When a user registered: 2026-12-07T15:15:47.5892572+00:00.
        ("a timestamp", Timestamp(), _ => @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"),
        // The Date response header, if a transcript shows it.
        ("a Date header", DateHeader(), _ => "Date: .+"),
    ];

    /// <summary>Where a shown line abbreviates: <c>...</c> or <c>…</c> stand for anything (possibly nothing).</summary>
    public static IReadOnlyList<string> Ellipses { get; } = ["...", "…"];

    /// <summary>The pattern a real line must match in full to be the line a document shows.</summary>
    public static Regex PatternFor(string shown)
    {
        var pattern = new StringBuilder("^");
        var position = 0;
        while (position < shown.Length)
        {
            var ellipsis = Ellipses.FirstOrDefault(candidate => string.CompareOrdinal(shown, position, candidate, 0, candidate.Length) == 0);
            if (ellipsis is not null)
            {
                pattern.Append(".*");
                position += ellipsis.Length;
                continue;
            }

            var volatileValue = VolatileValues
                .Select(value => (value.Real, Match: value.Shown.Match(shown, position)))
                .FirstOrDefault(candidate => candidate.Match.Success);
            if (volatileValue.Match is not null)
            {
                pattern.Append("(?:").Append(volatileValue.Real(volatileValue.Match)).Append(')');
                position += volatileValue.Match.Length;
                continue;
            }

            pattern.Append(Regex.Escape(shown[position].ToString()));
            position++;
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// Null when every shown line matches a real line, in order; otherwise what is missing and where the search was.
    /// </summary>
    public static string? FindMismatch(IReadOnlyList<string> shown, IReadOnlyList<string> real)
    {
        var next = 0;
        foreach (var line in shown)
        {
            var pattern = PatternFor(line);
            var found = next;
            while (found < real.Count && !pattern.IsMatch(real[found]))
            {
                found++;
            }

            if (found == real.Count)
            {
                return $"The document shows\n    {line}\nbut no later line of the real output is that line (after the line {next} matched).";
            }

            next = found + 1;
        }

        return null;
    }

    [GeneratedRegex(@"\G[0-9A-V]{13}:[0-9A-F]{8}\b")]
    private static partial Regex TraceId();

    [GeneratedRegex(@"\G(?<prefix>(?<![A-Za-z0-9_])[a-z][a-z_]*[_-])(?=[a-f]*[0-9])(?<digits>[0-9a-f]{8}|[0-9a-f]{6})(?![0-9A-Za-z])")]
    private static partial Regex GeneratedName();

    [GeneratedRegex(@"\GCfDJ8[A-Za-z0-9_-]+")]
    private static partial Regex FormToken();

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\GDate: .+")]
    private static partial Regex DateHeader();
}
