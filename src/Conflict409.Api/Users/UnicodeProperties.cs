using System.Globalization;
using System.Text;

namespace Conflict409.Api.Users;

/// <summary>
/// Two Unicode properties .NET does not expose, read from the UCD's own ranges (vendored in
/// <c>Users/Unicode/DerivedProperties.txt</c>): characters that render as nothing, and the bidi controls.
/// </summary>
public static class UnicodeProperties
{
    private static readonly (int First, int Last)[] DefaultIgnorable = Load("Default_Ignorable_Code_Point");
    private static readonly (int First, int Last)[] BidiControl = Load("Bidi_Control");

    /// <summary>Default_Ignorable_Code_Point: invisible when rendered, e.g. U+3164 HANGUL FILLER or U+200B.</summary>
    public static bool IsDefaultIgnorable(Rune rune) => In(DefaultIgnorable, rune.Value);

    /// <summary>Bidi_Control: the marks, embeddings, overrides and isolates that reorder text around them.</summary>
    public static bool IsBidiControl(Rune rune) => In(BidiControl, rune.Value);

    private static bool In((int First, int Last)[] ranges, int value)
    {
        var low = 0;
        var high = ranges.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (value < ranges[middle].First)
            {
                high = middle - 1;
            }
            else if (value > ranges[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static (int First, int Last)[] Load(string property)
    {
        using var stream = typeof(UnicodeProperties).Assembly.GetManifestResourceStream("Conflict409.Api.Users.Unicode.DerivedProperties.txt")
            ?? throw new InvalidOperationException("The Unicode property data (Users/Unicode/DerivedProperties.txt) is not embedded.");
        using var reader = new StreamReader(stream);
        var ranges = new List<(int, int)>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(';', StringSplitOptions.TrimEntries);
            if (line.StartsWith('#') || fields.Length != 2 || fields[1] != property)
            {
                continue;
            }

            var bounds = fields[0].Split("..");
            ranges.Add((Parse(bounds[0]), Parse(bounds[^1])));
        }

        return [.. ranges.OrderBy(range => range.Item1)];
    }

    private static int Parse(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
