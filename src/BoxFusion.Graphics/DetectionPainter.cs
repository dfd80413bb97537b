using System;
using System.Collections.Generic;
using SkiaSharp;

namespace BoxFusion.Graphics
{
    public enum LineStyle
    {
        Solid,
        Dashed,
        Dotted,
    }

    /// <summary>One rectangle to draw, in image pixels, with its label (or null) and stacking order (higher on top).</summary>
    public sealed class DrawnBox
    {
        public double X { get; set; }
        public double Y { get; set; }
        public double Width { get; set; }
        public double Height { get; set; }
        public uint Color { get; set; }
        public LineStyle Line { get; set; }
        public string Label { get; set; }
        public double Order { get; set; }

        /// <summary>An instance mask to fill translucently: COCO run lengths (column-major, zeros first), or null.</summary>
        public uint[] MaskCounts { get; set; }
        public int MaskHeight { get; set; }
        public int MaskWidth { get; set; }
    }

    /// <summary>One line of the legend: a sample of the line and its text.</summary>
    public sealed class LegendEntry
    {
        public LegendEntry(string text, uint color, LineStyle line)
        {
            Text = text;
            Color = color;
            Line = line;
        }

        public string Text { get; }
        public uint Color { get; }
        public LineStyle Line { get; }
    }

    /// <summary>How boxes are drawn; 0 for the line width or font size picks one from the image size.</summary>
    public sealed class DrawingStyle
    {
        public double LineWidth { get; set; }
        public double FontSize { get; set; }
        public bool Labels { get; set; } = true;
        public bool Legend { get; set; } = true;

        /// <summary>The colour of a blank canvas (an image without its file).</summary>
        public uint Background { get; set; } = Colors.Canvas;

        /// <summary>
        /// zlib level of the PNG, 0 to 9. With the Up filter, level 1 makes 640 x 480 photos about a fifth larger than the
        /// best setting (all filters, level 6) in under a third of the time (7.5 against 26 ms of CPU for RGB), which is
        /// what keeps drawing above 100 images a second on 2 cores.
        /// </summary>
        public int PngCompression { get; set; } = 1;
    }

    /// <summary>The image file could not be decoded (corrupt, truncated, or not an image format SkiaSharp reads).</summary>
    public sealed class ImageDecodeException : Exception
    {
        public ImageDecodeException(string message) : base(message) { }
    }

    /// <summary>Draws boxes, labels and a legend onto an image (or a blank canvas) and encodes a PNG. Thread-safe: no shared state.</summary>
    public static class DetectionPainter
    {
        /// <summary>The largest picture drawn, in pixels (width times height): 100 megapixels take 400 MB while drawn.</summary>
        public const long MaxPixels = 100_000_000;

        /// <summary>
        /// Draws on the decoded <paramref name="encodedImage"/>, or, when it is null, on a blank canvas of
        /// <paramref name="width"/> x <paramref name="height"/>. Returns the PNG file's bytes.
        /// </summary>
        /// <exception cref="ImageDecodeException">The image bytes are not an image SkiaSharp can decode.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The canvas or image is empty or larger than <see cref="MaxPixels"/>.</exception>
        public static byte[] Draw(byte[] encodedImage, int width, int height, IReadOnlyList<DrawnBox> boxes, IReadOnlyList<LegendEntry> legend, DrawingStyle style)
        {
            using (var png = new System.IO.MemoryStream())
            {
                Draw(encodedImage, width, height, boxes, legend, style, png);
                return png.ToArray();
            }
        }

        /// <summary>
        /// As <see cref="Draw(byte[], int, int, IReadOnlyList{DrawnBox}, IReadOnlyList{LegendEntry}, DrawingStyle)"/>, writing
        /// the PNG to <paramref name="output"/>; nothing is written when the image cannot be decoded.
        /// </summary>
        public static void Draw(byte[] encodedImage, int width, int height, IReadOnlyList<DrawnBox> boxes, IReadOnlyList<LegendEntry> legend, DrawingStyle style,
            System.IO.Stream output)
        {
            if (output == null) throw new ArgumentNullException(nameof(output));
            style = style ?? new DrawingStyle();
            using (var bitmap = encodedImage != null ? Decode(encodedImage) : Blank(width, height, style.Background))
            {
                FillMasks(bitmap, boxes);
                using (var canvas = new SKCanvas(bitmap))
                {
                    float scale = Math.Min(bitmap.Width, bitmap.Height);
                    float lineWidth = style.LineWidth > 0 ? (float)style.LineWidth : Math.Max(2f, (float)Math.Round(scale / 320));
                    float fontSize = style.FontSize > 0 ? (float)style.FontSize : Math.Max(11f, scale / 45);
                    using (var font = new SKFont(Fonts.Sans, fontSize))
                    {
                        var ordered = new List<DrawnBox>(boxes ?? Array.Empty<DrawnBox>());
                        ordered.Sort((a, b) => a.Order.CompareTo(b.Order));
                        foreach (var box in ordered) DrawBox(canvas, box, lineWidth);
                        if (style.Labels)
                        {
                            // the best-scoring boxes choose their label's place first; the others avoid those places
                            var placed = new List<SKRect>();
                            for (int i = ordered.Count - 1; i >= 0; i--)
                                if (!string.IsNullOrEmpty(ordered[i].Label)) DrawLabel(canvas, font, ordered[i], lineWidth, bitmap.Width, bitmap.Height, placed);
                        }
                        if (style.Legend && legend != null && legend.Count > 0) DrawLegend(canvas, font, legend, lineWidth, bitmap.Width);
                    }
                }
                // Copied from native memory to the caller's stream in small pieces: no managed copy of the whole PNG (a
                // large-object allocation per picture). Not through SKManagedWStream, whose writes run inside native code,
                // where a failing disk's exception could not be caught. An opaque bitmap is encoded as RGB, not RGBA: a
                // quarter less to filter and compress, and nothing to unpremultiply.
                using (var pixmap = bitmap.PeekPixels())
                using (var png = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Up, Math.Max(0, Math.Min(9, style.PngCompression)))))
                {
                    if (png == null) throw new InvalidOperationException("SkiaSharp could not encode the picture as PNG.");
                    png.SaveTo(output);
                }
            }
        }

        /// <summary>Opacity of a mask's fill: the picture stays visible under it.</summary>
        public const double MaskOpacity = 0.4;

        /// <summary>
        /// Each mask of the picture's size blended into the pixels in its box's colour (lowest order first, so the
        /// best-scoring on top). Masks of another size are left out; their boxes are still drawn.
        /// </summary>
        private static void FillMasks(SKBitmap bitmap, IReadOnlyList<DrawnBox> boxes)
        {
            if (boxes == null) return;
            var masked = new List<DrawnBox>();
            foreach (var b in boxes)
                if (b.MaskCounts != null && b.MaskHeight == bitmap.Height && b.MaskWidth == bitmap.Width) masked.Add(b);
            if (masked.Count == 0) return;
            masked.Sort((a, b) => a.Order.CompareTo(b.Order));
            int width = bitmap.Width, height = bitmap.Height;
            var pixels = new int[width * height];
            System.Runtime.InteropServices.Marshal.Copy(bitmap.GetPixels(), pixels, 0, pixels.Length);
            bool bgra = bitmap.ColorType == SKColorType.Bgra8888;
            int a = (int)Math.Round(MaskOpacity * 256);
            foreach (var box in masked)
            {
                uint c = box.Color;
                int cr = (int)(c >> 16) & 0xFF, cg = (int)(c >> 8) & 0xFF, cb = (int)c & 0xFF;
                long p = 0, total = (long)width * height;
                var counts = box.MaskCounts;
                for (int j = 0; j < counts.Length && p < total; j++)
                {
                    long end = Math.Min(total, p + counts[j]);
                    if ((j & 1) == 1)
                    {
                        for (long q = p; q < end; q++)
                        {
                            // column-major: run position q is row q % height of column q / height
                            int at = (int)(q % height) * width + (int)(q / height);
                            int v = pixels[at];
                            int r = bgra ? (v >> 16) & 0xFF : v & 0xFF, g = (v >> 8) & 0xFF, b = bgra ? v & 0xFF : (v >> 16) & 0xFF;
                            r += ((cr - r) * a) >> 8; g += ((cg - g) * a) >> 8; b += ((cb - b) * a) >> 8;
                            int alpha = (int)((uint)v >> 24);
                            pixels[at] = (alpha << 24) | (bgra ? (r << 16) | (g << 8) | b : (b << 16) | (g << 8) | r);
                        }
                    }
                    p = end;
                }
            }
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        }

        private static SKBitmap Blank(int width, int height, uint background)
        {
            CheckSize(width, height);
            // an opaque canvas encodes faster and smaller (see Draw); a translucent background keeps its alpha
            var alpha = (background >> 24) == 0xFF ? SKAlphaType.Opaque : SKAlphaType.Premul;
            var bitmap = new SKBitmap(new SKImageInfo(width, height, SKImageInfo.PlatformColorType, alpha));
            bitmap.Erase(new SKColor(background));
            return bitmap;
        }

        private static void CheckSize(int width, int height)
        {
            if (width < 1 || height < 1 || (long)width * height > MaxPixels)
                throw new ArgumentOutOfRangeException(nameof(width), width + " x " + height + " pixels: a picture must be at least 1 x 1 and at most " + MaxPixels + " pixels.");
        }

        /// <summary>Decodes to 32-bit colour whatever the file holds (a grey JPEG too), so boxes keep their colours.</summary>
        private static SKBitmap Decode(byte[] bytes)
        {
            using (var data = SKData.CreateCopy(bytes))
            using (var codec = SKCodec.Create(data))
            {
                if (codec == null) throw new ImageDecodeException("not an image format that can be read (PNG, JPEG, WebP, GIF, BMP, ICO), or the file is damaged");
                var info = codec.Info;
                CheckSize(info.Width, info.Height);
                // JPEG and most photos are opaque: kept so, they encode as RGB (see Draw)
                var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
                var target = new SKImageInfo(info.Width, info.Height, SKImageInfo.PlatformColorType, alpha);
                var bitmap = new SKBitmap(target);
                var result = codec.GetPixels(target, bitmap.GetPixels());
                if (result != SKCodecResult.Success && result != SKCodecResult.IncompleteInput)
                {
                    bitmap.Dispose();
                    throw new ImageDecodeException("the image data cannot be decoded (" + result + ")");
                }
                if (result == SKCodecResult.IncompleteInput)
                {
                    bitmap.Dispose();
                    throw new ImageDecodeException("the file is truncated");
                }
                return bitmap;
            }
        }

        private static SKPaint Stroke(uint color, float width, LineStyle line)
        {
            var paint = new SKPaint { Color = new SKColor(color), Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true };
            if (line == LineStyle.Dashed) paint.PathEffect = SKPathEffect.CreateDash(new[] { width * 4, width * 2.5f }, 0);
            else if (line == LineStyle.Dotted) paint.PathEffect = SKPathEffect.CreateDash(new[] { width, width * 1.5f }, 0);
            return paint;
        }

        private static void DrawBox(SKCanvas canvas, DrawnBox box, float lineWidth)
        {
            var rect = new SKRect((float)box.X, (float)box.Y, (float)(box.X + box.Width), (float)(box.Y + box.Height));
            if (box.Line != LineStyle.Solid)
            {
                // a pale line under the broken one, so it shows on dark and light pictures alike
                using (var under = Stroke(0xB0FFFFFF, lineWidth, LineStyle.Solid)) canvas.DrawRect(rect, under);
            }
            using (var paint = Stroke(box.Color, lineWidth, box.Line))
            {
                canvas.DrawRect(rect, paint);
                if (paint.PathEffect != null) paint.PathEffect.Dispose();
            }
        }

        private static uint TextColorOn(uint background)
        {
            double r = (background >> 16) & 0xFF, g = (background >> 8) & 0xFF, b = background & 0xFF;
            return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? 0xFF000000 : 0xFFFFFFFF;
        }

        /// <summary>
        /// A filled tag in the box's colour: above its top-left corner, else just inside it, else below it, else further
        /// down; the first of these places that overlaps no tag drawn before, so labels of stacked boxes stay readable.
        /// </summary>
        private static void DrawLabel(SKCanvas canvas, SKFont font, DrawnBox box, float lineWidth, int width, int height, List<SKRect> placed)
        {
            float pad = Math.Max(1f, font.Size * 0.2f);
            float textWidth = font.MeasureText(box.Label);
            var metrics = font.Metrics;
            float textHeight = metrics.Descent - metrics.Ascent;
            float tagWidth = textWidth + 2 * pad, tagHeight = textHeight + 2 * pad;
            float left = (float)box.X - lineWidth / 2, half = lineWidth / 2;
            var tops = new List<float> { (float)box.Y - half - tagHeight, (float)box.Y + half, (float)(box.Y + box.Height) + half };
            for (int step = 1; step <= 6; step++) tops.Add((float)box.Y + half + step * tagHeight);
            SKRect chosen = SKRect.Empty;
            foreach (float top in tops)
            {
                var rect = Place(left, top, tagWidth, tagHeight, width, height);
                if (chosen.IsEmpty) chosen = rect;
                bool free = true;
                foreach (var other in placed)
                    if (other.IntersectsWith(rect)) { free = false; break; }
                if (free) { chosen = rect; break; }
            }
            placed.Add(chosen);
            using (var fill = new SKPaint { Color = new SKColor(box.Color), Style = SKPaintStyle.Fill, IsAntialias = true })
                canvas.DrawRect(chosen, fill);
            using (var text = new SKPaint { Color = new SKColor(TextColorOn(box.Color)), IsAntialias = true })
                canvas.DrawText(box.Label, chosen.Left + pad, chosen.Top + pad - metrics.Ascent, SKTextAlign.Left, font, text);
        }

        private static SKRect Place(float left, float top, float tagWidth, float tagHeight, int width, int height)
        {
            left = Math.Max(0, Math.Min(left, width - tagWidth));
            top = Math.Max(0, Math.Min(top, height - tagHeight));
            return new SKRect(left, top, left + tagWidth, top + tagHeight);
        }

        /// <summary>The legend in the top-right corner: a line sample and the text of each entry, on a pale panel.</summary>
        private static void DrawLegend(SKCanvas canvas, SKFont font, IReadOnlyList<LegendEntry> entries, float lineWidth, int width)
        {
            var metrics = font.Metrics;
            float rowHeight = (metrics.Descent - metrics.Ascent) * 1.3f;
            float sample = font.Size * 2, pad = font.Size * 0.5f;
            float textWidth = 0;
            foreach (var e in entries) textWidth = Math.Max(textWidth, font.MeasureText(e.Text));
            float panelWidth = pad * 3 + sample + textWidth, panelHeight = pad * 2 + rowHeight * entries.Count;
            float left = Math.Max(0, width - panelWidth - pad), top = pad;
            using (var fill = new SKPaint { Color = new SKColor(0xD9FFFFFF), Style = SKPaintStyle.Fill })
                canvas.DrawRect(new SKRect(left, top, left + panelWidth, top + panelHeight), fill);
            using (var border = new SKPaint { Color = new SKColor(0xFF999999), Style = SKPaintStyle.Stroke, StrokeWidth = 1 })
                canvas.DrawRect(new SKRect(left, top, left + panelWidth, top + panelHeight), border);
            using (var text = new SKPaint { Color = SKColors.Black, IsAntialias = true })
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    float rowTop = top + pad + i * rowHeight, middle = rowTop + rowHeight / 2;
                    using (var line = Stroke(entries[i].Color, lineWidth, entries[i].Line))
                    {
                        canvas.DrawLine(left + pad, middle, left + pad + sample, middle, line);
                        if (line.PathEffect != null) line.PathEffect.Dispose();
                    }
                    float baseline = middle - (metrics.Ascent + metrics.Descent) / 2;
                    canvas.DrawText(entries[i].Text, left + pad * 2 + sample, baseline, SKTextAlign.Left, font, text);
                }
            }
        }
    }
}
