using BoxFusion.Graphics;
using SkiaSharp;

namespace BoxFusion.Tests
{
    /// <summary>BoxFusion.Graphics: boxes land on the right pixels, charts have the size asked for, bad images are refused.</summary>
    public class GraphicsTests
    {
        private const uint Blue = 0xFF1F77B4;

        public GraphicsTests() => Assert.Null(GraphicsRuntime.EnsureLoaded());

        private static SKBitmap Decode(byte[] png)
        {
            var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            return bitmap;
        }

        private static DrawingStyle Plain(double lineWidth = 4) => new DrawingStyle { LineWidth = lineWidth, Labels = false, Legend = false };

        [Fact]
        public void AKnownBoxOnABlankCanvas()
        {
            var box = new DrawnBox { X = 40, Y = 30, Width = 100, Height = 80, Color = Blue };
            using var bitmap = Decode(DetectionPainter.Draw(null, 200, 150, new[] { box }, null, Plain()));
            Assert.Equal(200, bitmap.Width);
            Assert.Equal(150, bitmap.Height);
            var blue = new SKColor(Blue);
            // a 4-pixel line centred on each edge covers the two pixels either side of it fully
            foreach (var (x, y) in new[] { (40, 70), (39, 70), (140, 70), (139, 70), (90, 30), (90, 29), (90, 110), (90, 109), (41, 31), (138, 108) })
                Assert.True(bitmap.GetPixel(x, y) == blue, $"edge pixel ({x},{y}) is {bitmap.GetPixel(x, y)}");
            foreach (var (x, y) in new[] { (90, 70), (43, 33), (137, 107), (10, 10), (190, 140), (36, 70), (144, 70) })
                Assert.True(bitmap.GetPixel(x, y) == SKColors.White, $"pixel ({x},{y}) should stay background, is {bitmap.GetPixel(x, y)}");
        }

        [Fact]
        public void BlankCanvasColourAndDashedGroundTruth()
        {
            var gt = new DrawnBox { X = 20, Y = 20, Width = 160, Height = 100, Color = 0xFF000000, Line = LineStyle.Dashed };
            var style = Plain(2);
            style.Background = 0xFF336699;
            using var bitmap = Decode(DetectionPainter.Draw(null, 200, 150, new[] { gt }, null, style));
            Assert.Equal(new SKColor(0xFF336699), bitmap.GetPixel(100, 70));
            int black = 0, pale = 0;
            for (int x = 22; x < 178; x++)
            {
                var p = bitmap.GetPixel(x, 20);
                if (p == SKColors.Black) black++;
                else if (p.Red > 150 && p.Green > 150 && p.Blue > 150) pale++;
            }
            Assert.True(black > 40 && pale > 20, $"a dashed line over a pale one: {black} black and {pale} pale pixels along the top edge");
        }

        [Fact]
        public void DrawsOnADecodedImageInColourEvenWhenItIsGrey()
        {
            byte[] grey;
            using (var source = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Gray8, SKAlphaType.Opaque)))
            {
                source.Erase(new SKColor(128, 128, 128));
                using var data = source.Encode(SKEncodedImageFormat.Png, 100);
                grey = data.ToArray();
            }
            var box = new DrawnBox { X = 10, Y = 10, Width = 30, Height = 20, Color = 0xFFFF0000 };
            using var bitmap = Decode(DetectionPainter.Draw(grey, 0, 0, new[] { box }, null, Plain(2)));
            Assert.Equal(64, bitmap.Width);
            Assert.Equal(48, bitmap.Height);
            Assert.Equal(SKColors.Red, bitmap.GetPixel(10, 25));
            Assert.Equal(new SKColor(128, 128, 128), bitmap.GetPixel(25, 20));
        }

        [Fact]
        public void LabelsAndLegendAreDrawn()
        {
            var box = new DrawnBox { X = 20, Y = 60, Width = 80, Height = 60, Color = Blue, Label = "cat 0.93" };
            var legend = new[] { new LegendEntry("yolox", Blue, LineStyle.Solid) };
            using var bitmap = Decode(DetectionPainter.Draw(null, 300, 200, new[] { box }, legend, new DrawingStyle { LineWidth = 2, FontSize = 14 }));
            // the tag sits above the box: blue fill with white text
            int blue = 0, white = 0;
            for (int x = 20; x < 60; x++)
                for (int y = 42; y < 58; y++)
                {
                    var p = bitmap.GetPixel(x, y);
                    if (p == new SKColor(Blue)) blue++;
                    else if (p == SKColors.White) white++;
                }
            Assert.True(blue > 200 && white > 10, $"label tag: {blue} blue, {white} white pixels");
            // the legend panel in the top-right corner has dark text on it
            int dark = 0;
            for (int x = 200; x < 300; x++)
                for (int y = 0; y < 40; y++)
                    if (bitmap.GetPixel(x, y).Red < 80 && bitmap.GetPixel(x, y).Blue < 80) dark++;
            Assert.True(dark > 10, "legend text");
        }

        [Fact]
        public void MasksAreFilledTranslucentlyInTheBoxColour()
        {
            // a mask covering x 30..49, y 20..29 of a 100 x 80 picture, as COCO's column-major run lengths
            int width = 100, height = 80;
            var counts = new List<uint>();
            uint zeros = 30 * 80 + 20;
            for (int x = 30; x < 50; x++)
            {
                counts.Add(zeros);
                counts.Add(10);
                zeros = (uint)(height - 10);
            }
            counts.Add((uint)((width - 50) * height + height - 30));
            var box = new DrawnBox { X = 30, Y = 20, Width = 20, Height = 10, Color = 0xFF0000FF, MaskCounts = counts.ToArray(), MaskHeight = height, MaskWidth = width };
            using var bitmap = Decode(DetectionPainter.Draw(null, width, height, new[] { box }, null, Plain(1)));
            Assert.Equal(new SKColor(153, 153, 255), bitmap.GetPixel(40, 25));   // 40% blue over white
            Assert.Equal(SKColors.White, bitmap.GetPixel(40, 40));
            Assert.Equal(SKColors.White, bitmap.GetPixel(60, 25));
            var wrongSize = new DrawnBox { X = 30, Y = 20, Width = 20, Height = 10, Color = 0xFF0000FF, MaskCounts = counts.ToArray(), MaskHeight = 40, MaskWidth = 200 };
            using var unfilled = Decode(DetectionPainter.Draw(null, width, height, new[] { wrongSize }, null, Plain(1)));
            Assert.Equal(SKColors.White, unfilled.GetPixel(40, 25));
        }

        /// <summary>The PNG colour type in the IHDR chunk: 2 is RGB, 6 is RGB with alpha.</summary>
        private static byte PngColorType(byte[] png) => png[25];

        [Fact]
        public void OpaquePicturesAreRgbAndTransparentOnesKeepTheirAlpha()
        {
            var box = new DrawnBox { X = 5, Y = 5, Width = 20, Height = 10, Color = Blue };
            Assert.Equal(2, PngColorType(DetectionPainter.Draw(null, 40, 30, new[] { box }, null, Plain(2))));
            var clear = Plain(2);
            clear.Background = 0x00000000;
            byte[] translucent = DetectionPainter.Draw(null, 40, 30, new[] { box }, null, clear);
            Assert.Equal(6, PngColorType(translucent));
            using (var bitmap = Decode(translucent))
            {
                Assert.Equal(0, bitmap.GetPixel(15, 10).Alpha);
                Assert.Equal(new SKColor(Blue), bitmap.GetPixel(5, 10));
            }
            // drawn on a picture with transparency: it stays transparent where nothing is drawn
            using (var redrawn = Decode(DetectionPainter.Draw(translucent, 0, 0, Array.Empty<DrawnBox>(), null, Plain(2))))
            {
                Assert.Equal(0, redrawn.GetPixel(15, 10).Alpha);
                Assert.Equal(new SKColor(Blue), redrawn.GetPixel(5, 10));
            }
        }

        [Fact]
        public void DamagedImagesAreRefused()
        {
            Assert.Throws<ImageDecodeException>(() => DetectionPainter.Draw(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 0, 0, Array.Empty<DrawnBox>(), null, Plain()));
            byte[] png = DetectionPainter.Draw(null, 50, 40, Array.Empty<DrawnBox>(), null, Plain());
            var truncated = new byte[png.Length / 2];
            Array.Copy(png, truncated, truncated.Length);
            Assert.Throws<ImageDecodeException>(() => DetectionPainter.Draw(truncated, 0, 0, Array.Empty<DrawnBox>(), null, Plain()));
        }

        [Theory]
        [InlineData(0, 10)]
        [InlineData(10, -1)]
        [InlineData(20000, 20000)]
        public void SizesOutOfRangeAreRefused(int width, int height) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => DetectionPainter.Draw(null, width, height, Array.Empty<DrawnBox>(), null, Plain()));

        [Fact]
        public void AChartHasTheSizeAskedFor()
        {
            var recall = new double[101];
            var precision = new double[101];
            for (int r = 0; r <= 100; r++) { recall[r] = r / 100.0; precision[r] = r <= 80 ? 1 - r / 200.0 : double.NaN; }
            var curves = new List<ChartCurve> { new ChartCurve("yolox", recall, precision, 0.5) };
            var panels = new[] { new ChartPanel("IoU 0.50", curves), new ChartPanel("IoU 0.75", curves) };
            using var bitmap = Decode(PrecisionRecallChart.Render("Precision-recall", panels, Colors.Palette, 640, 480));
            Assert.Equal(640, bitmap.Width);
            Assert.Equal(480, bitmap.Height);
            int curve = 0;
            for (int x = 0; x < 640; x++)
                for (int y = 0; y < 480; y++)
                    if (bitmap.GetPixel(x, y) == new SKColor(Colors.Palette[0])) curve++;
            Assert.True(curve > 100, $"curve pixels in both panels: {curve}");
            Assert.Throws<ArgumentOutOfRangeException>(() => PrecisionRecallChart.Render("x", panels, Colors.Palette, 0, 480));
        }

        [Theory]
        [InlineData("#1F77B4", 0xFF1F77B4u)]
        [InlineData("1f77b4", 0xFF1F77B4u)]
        [InlineData("#80FF0000", 0x80FF0000u)]
        [InlineData("#f00", 0xFFFF0000u)]
        [InlineData("Teal", 0xFF008080u)]
        public void ColoursParse(string text, uint expected)
        {
            Assert.True(Colors.TryParse(text, out uint argb));
            Assert.Equal(expected, argb);
        }

        [Theory]
        [InlineData("")]
        [InlineData("#12345")]
        [InlineData("#GGGGGG")]
        [InlineData("reddish")]
        [InlineData("#123456789")]
        public void BadColoursDoNotParse(string text) => Assert.False(Colors.TryParse(text, out _));
    }
}
