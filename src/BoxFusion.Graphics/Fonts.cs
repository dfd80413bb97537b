using System;
using System.IO;
using SkiaSharp;

namespace BoxFusion.Graphics
{
    /// <summary>
    /// The typeface for every label, legend and chart: DejaVu Sans, embedded in this assembly, because SkiaSharp's
    /// portable Linux build sees no system fonts, and one font everywhere draws the same pictures on every platform.
    /// </summary>
    internal static class Fonts
    {
        public const string FamilyName = "BoxFusion Sans";
        private static readonly Lazy<SKTypeface> sans = new Lazy<SKTypeface>(LoadSans);

        public static SKTypeface Sans => sans.Value;

        private static SKTypeface LoadSans()
        {
            using (var stream = typeof(Fonts).Assembly.GetManifestResourceStream("BoxFusion.Graphics.DejaVuSans.ttf"))
            {
                if (stream == null) return null;
                var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                using (var data = SKData.CreateCopy(bytes.ToArray()))
                    return SKTypeface.FromData(data);
            }
        }
    }

    /// <summary>Hands ScottPlot the embedded typeface for our family name (it asks for fonts by name).</summary>
    internal sealed class EmbeddedFontResolver : ScottPlot.IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, Fonts.FamilyName, StringComparison.Ordinal) ? Fonts.Sans : null;

        public SKTypeface CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            CreateTypeface(fontName, false, false);
    }
}
