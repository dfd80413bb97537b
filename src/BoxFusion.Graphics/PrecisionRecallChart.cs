using System;
using System.Collections.Generic;
using System.Globalization;
using SkiaSharp;

namespace BoxFusion.Graphics
{
    /// <summary>One curve: precision at each recall threshold (NaN where there is none), and its AP for the legend.</summary>
    public sealed class ChartCurve
    {
        public ChartCurve(string name, double[] recall, double[] precision, double averagePrecision)
        {
            Name = name;
            Recall = recall;
            Precision = precision;
            AveragePrecision = averagePrecision;
        }

        public string Name { get; }
        public double[] Recall { get; }
        public double[] Precision { get; }
        public double AveragePrecision { get; }
    }

    /// <summary>One panel of the chart (one IoU setting) with its curves, drawn in the order given.</summary>
    public sealed class ChartPanel
    {
        public ChartPanel(string title, IReadOnlyList<ChartCurve> curves)
        {
            Title = title;
            Curves = curves;
        }

        public string Title { get; }
        public IReadOnlyList<ChartCurve> Curves { get; }
    }

    /// <summary>Precision-recall charts with ScottPlot: panels side by side under one title, encoded as PNG.</summary>
    public static class PrecisionRecallChart
    {
        private static readonly object FontGate = new object();
        private static bool fontRegistered;

        /// <summary>Draws the panels side by side on a <paramref name="width"/> x <paramref name="height"/> picture; curve i of every panel gets colors[i].</summary>
        public static byte[] Render(string title, IReadOnlyList<ChartPanel> panels, IReadOnlyList<uint> colors, int width, int height)
        {
            if (panels == null || panels.Count == 0) throw new ArgumentException("At least one panel is needed.", nameof(panels));
            if (width < 1 || height < 1 || (long)width * height > DetectionPainter.MaxPixels)
                throw new ArgumentOutOfRangeException(nameof(width), width + " x " + height + " is not a size that can be drawn.");
            RegisterFont();
            var info = new SKImageInfo(width, height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
            using (var surface = SKSurface.Create(info))
            {
                var canvas = surface.Canvas;
                canvas.Clear(SKColors.White);
                float top = 0;
                if (!string.IsNullOrEmpty(title))
                {
                    float size = Math.Max(12f, Math.Min(width, height) / 28f);
                    using (var font = new SKFont(Fonts.Sans, size))
                    using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
                    {
                        top = size * 2;
                        canvas.DrawText(title, width / 2f, size * 1.4f, SKTextAlign.Center, font, paint);
                    }
                }
                float panelWidth = (float)width / panels.Count;
                for (int i = 0; i < panels.Count; i++)
                {
                    // each panel on its own surface: ScottPlot clears the whole canvas it renders on
                    int left = (int)Math.Round(i * panelWidth), right = (int)Math.Round((i + 1) * panelWidth);
                    int panelHeight = Math.Max(1, height - (int)top);
                    var plot = BuildPlot(panels[i], colors, Math.Min(right - left, panelHeight));
                    using (var panelSurface = SKSurface.Create(new SKImageInfo(Math.Max(1, right - left), panelHeight, SKImageInfo.PlatformColorType, SKAlphaType.Premul)))
                    {
                        plot.Render(panelSurface.Canvas, right - left, panelHeight);
                        using (var picture = panelSurface.Snapshot()) canvas.DrawImage(picture, left, (int)top, new SKSamplingOptions(SKFilterMode.Nearest), null);
                    }
                }
                canvas.Flush();
                using (var image = surface.Snapshot())
                using (var pixmap = image.PeekPixels())
                using (var png = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)))
                    return png.ToArray();
            }
        }

        private static ScottPlot.Plot BuildPlot(ChartPanel panel, IReadOnlyList<uint> colors, float size)
        {
            var plot = new ScottPlot.Plot();
            plot.Font.Set(Fonts.FamilyName);
            float fontSize = Math.Max(9f, size / 32f);
            for (int c = 0; c < panel.Curves.Count; c++)
            {
                var curve = panel.Curves[c];
                if (curve.Precision == null) continue;
                // only the recall thresholds that have a precision: the curve ends where the detections run out
                var xs = new List<double>();
                var ys = new List<double>();
                for (int r = 0; r < curve.Recall.Length; r++)
                {
                    if (double.IsNaN(curve.Precision[r])) continue;
                    xs.Add(curve.Recall[r]);
                    ys.Add(curve.Precision[r]);
                }
                var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
                uint argb = colors[c % colors.Count];
                line.Color = new ScottPlot.Color((byte)(argb >> 16), (byte)(argb >> 8), (byte)argb, (byte)(argb >> 24));
                line.LineWidth = Math.Max(1.5f, size / 300f);
                line.LegendText = string.Format(CultureInfo.InvariantCulture, "{0} (AP {1:0.000})", curve.Name, curve.AveragePrecision);
            }
            plot.Title(panel.Title, fontSize * 1.3f);
            plot.XLabel("Recall", fontSize * 1.1f);
            plot.YLabel("Precision", fontSize * 1.1f);
            plot.Axes.SetLimits(0, 1, 0, 1.02);
            plot.Axes.Bottom.TickLabelStyle.FontSize = fontSize;
            plot.Axes.Left.TickLabelStyle.FontSize = fontSize;
            plot.Legend.FontName = Fonts.FamilyName;
            plot.Legend.FontSize = fontSize;
            plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
            return plot;
        }

        /// <summary>ScottPlot finds fonts by name through a shared list: our resolver goes in once per process.</summary>
        private static void RegisterFont()
        {
            lock (FontGate)
            {
                if (fontRegistered) return;
                ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
                fontRegistered = true;
            }
        }
    }
}
