using System;
using System.Collections.Generic;
using System.Globalization;

namespace BoxFusion.Graphics
{
    /// <summary>Colours as 0xAARRGGBB: parsed from text, and the default palette. No SkiaSharp types, so parsing loads no native code.</summary>
    public static class Colors
    {
        /// <summary>One colour per model, in the order models first appear: Tableau 10, distinct for most colour vision.</summary>
        public static IReadOnlyList<uint> Palette { get; } = new uint[]
        {
            0xFF1F77B4, 0xFFFF7F0E, 0xFF9467BD, 0xFF17BECF, 0xFFE377C2, 0xFF8C564B, 0xFFBCBD22, 0xFF7F7F7F, 0xFF2CA02C, 0xFFD62728,
        };

        public const uint GroundTruth = 0xFF000000;
        public const uint TruePositive = 0xFF2CA02C;
        public const uint FalsePositive = 0xFFD62728;
        public const uint Missed = 0xFFFF7F0E;
        public const uint Ignored = 0xFF7F7F7F;
        public const uint Canvas = 0xFFFFFFFF;

        private static readonly Dictionary<string, uint> Named = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase)
        {
            ["black"] = 0xFF000000, ["white"] = 0xFFFFFFFF, ["red"] = 0xFFFF0000, ["green"] = 0xFF008000, ["lime"] = 0xFF00FF00,
            ["blue"] = 0xFF0000FF, ["yellow"] = 0xFFFFFF00, ["orange"] = 0xFFFFA500, ["purple"] = 0xFF800080, ["magenta"] = 0xFFFF00FF,
            ["cyan"] = 0xFF00FFFF, ["pink"] = 0xFFFFC0CB, ["brown"] = 0xFFA52A2A, ["gray"] = 0xFF808080, ["grey"] = 0xFF808080,
            ["silver"] = 0xFFC0C0C0, ["navy"] = 0xFF000080, ["teal"] = 0xFF008080, ["olive"] = 0xFF808000, ["maroon"] = 0xFF800000,
            ["transparent"] = 0x00000000,
        };

        /// <summary>The colour names <see cref="TryParse"/> knows.</summary>
        public static IEnumerable<string> Names => Named.Keys;

        /// <summary>#RGB, #RRGGBB, #AARRGGBB (the # is optional) or a name such as red or teal.</summary>
        public static bool TryParse(string text, out uint argb)
        {
            argb = 0;
            if (string.IsNullOrWhiteSpace(text)) return false;
            text = text.Trim();
            if (Named.TryGetValue(text, out argb)) return true;
            string hex = text.StartsWith("#", StringComparison.Ordinal) ? text.Substring(1) : text;
            if (!uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)) return false;
            switch (hex.Length)
            {
                case 3:
                    uint r = (value >> 8) & 0xF, g = (value >> 4) & 0xF, b = value & 0xF;
                    argb = 0xFF000000 | (r * 0x11) << 16 | (g * 0x11) << 8 | b * 0x11;
                    return true;
                case 6:
                    argb = 0xFF000000 | value;
                    return true;
                case 8:
                    argb = value;
                    return true;
                default:
                    return false;
            }
        }

        public static string Format(uint argb) => (argb >> 24) == 0xFF
            ? "#" + (argb & 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture)
            : "#" + argb.ToString("X8", CultureInfo.InvariantCulture);
    }
}
