using System.Text.Json;

namespace BoxFusion.Tests
{
    /// <summary>The run-length mask against pycocotools' numbers (fixture areas and boxes) and against plain bitmaps.</summary>
    public class MaskTests
    {
        private static JsonDocument Json(params string[] path) => JsonDocument.Parse(File.ReadAllBytes(FixtureRuns.DataPath(path)));

        /// <summary>Every compressed string of the fixtures: (height, width, counts).</summary>
        public static IEnumerable<(int H, int W, string Counts)> FixtureStrings()
        {
            var files = new List<string[]>
            {
                new[] { "case-m", "model1.json" }, new[] { "case-m", "model2.json" }, new[] { "case-m", "model3.json" },
                new[] { "case-m", "expected", "wbf.json" }, new[] { "case-m", "expected", "nms.json" },
                new[] { "coco-fake100", "instances_val2014_fakesegm100_results.json" },
            };
            foreach (var f in files)
            {
                using var doc = Json(f);
                foreach (var r in doc.RootElement.EnumerateArray())
                {
                    var s = r.GetProperty("segmentation");
                    var size = s.GetProperty("size");
                    yield return (size[0].GetInt32(), size[1].GetInt32(), s.GetProperty("counts").GetString());
                }
            }
        }

        [Fact]
        public void CompressedStringsRoundTripExactly()
        {
            int n = 0;
            foreach (var (h, w, counts) in FixtureStrings())
            {
                var mask = Mask.FromString(h, w, counts);
                Assert.Equal(counts, mask.ToCompressedString());
                Assert.Equal((long)h * w, mask.GetCounts().Sum(c => (long)c));
                Assert.True(mask.Area > 0);
                n++;
            }
            Assert.True(n > 1000);
        }

        [Fact]
        public void GroundTruthRegionsGiveTheirAreasAndBoxes()
        {
            // Crowd regions (uncompressed RLE): area and box exactly; polygons: near the generator's own fill.
            using var doc = Json("case-m", "gt.json");
            var images = doc.RootElement.GetProperty("images").EnumerateArray()
                .ToDictionary(i => i.GetProperty("id").GetInt64(), i => (H: i.GetProperty("height").GetInt32(), W: i.GetProperty("width").GetInt32()));
            int polygons = 0, crowds = 0;
            foreach (var a in doc.RootElement.GetProperty("annotations").EnumerateArray())
            {
                var (h, w) = images[a.GetProperty("image_id").GetInt64()];
                var s = a.GetProperty("segmentation");
                Mask mask;
                if (s.ValueKind == JsonValueKind.Array)
                {
                    mask = Mask.FromPolygons(s.EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList(), h, w);
                    polygons++;
                }
                else
                {
                    mask = Mask.FromCounts(s.GetProperty("size")[0].GetInt32(), s.GetProperty("size")[1].GetInt32(),
                        s.GetProperty("counts").EnumerateArray().Select(v => v.GetInt64()).ToList());
                    crowds++;
                }
                double area = a.GetProperty("area").GetDouble();
                var box = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                if (s.ValueKind == JsonValueKind.Array)
                {
                    // The generator's areas come from its own fill of the unrounded polygon: close, not equal.
                    Assert.InRange(mask.Area, area * 0.97 - 3, area * 1.03 + 3);
                    Assert.All(box.Zip(mask.GetBoundingBox(), (e, m) => Math.Abs(e - m)), d => Assert.True(d <= 1));
                }
                else
                {
                    Assert.Equal(area, mask.Area);
                    Assert.Equal(box, mask.GetBoundingBox());
                }
            }
            Assert.True(polygons > 100 && crowds > 3);
        }

        [Fact]
        public void ResultBoxesAreTheMasksBoxes()
        {
            // mmdetection-style records: bbox = toBbox(segmentation), in whole pixels.
            using var doc = Json("case-m", "model1.json");
            foreach (var r in doc.RootElement.EnumerateArray())
            {
                var s = r.GetProperty("segmentation");
                var mask = Mask.FromString(s.GetProperty("size")[0].GetInt32(), s.GetProperty("size")[1].GetInt32(), s.GetProperty("counts").GetString());
                Assert.Equal(r.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()), mask.GetBoundingBox());
            }
        }

        [Fact]
        public void KnownSmallValues()
        {
            // A 3x3 image with its centre pixel set: column-major runs 4, 1, 4.
            var bits = new byte[9];
            bits[4] = 1;
            var centre = Mask.FromBitmap(bits, 3, 3);
            Assert.Equal(new uint[] { 4, 1, 4 }, centre.GetCounts());
            Assert.Equal("414", centre.ToCompressedString());
            Assert.Equal(new double[] { 1, 1, 1, 1 }, centre.GetBoundingBox());
            Assert.Equal(1, centre.Area);
            // Top-left pixel set: a leading empty background run.
            bits = new byte[9];
            bits[0] = 1;
            Assert.Equal(new uint[] { 0, 1, 8 }, Mask.FromBitmap(bits, 3, 3).GetCounts());
            // Differences from the run two back, from the fourth run on, and negative numbers.
            var m = Mask.FromCounts(10, 10, new long[] { 10, 20, 5, 15, 50 });
            string s = m.ToCompressedString();
            Assert.Equal(m, Mask.FromString(10, 10, s));
            Assert.Equal(35, m.Area);
            // An integral box rasterises to exactly its pixels.
            var box = Mask.FromBox(2, 3, 4, 5, 20, 30);
            Assert.Equal(20, box.Area);
            Assert.Equal(new double[] { 2, 3, 4, 5 }, box.GetBoundingBox());
            var square = Mask.FromPolygons(new[] { new double[] { 0, 0, 0, 10, 10, 10, 10, 0 } }, 20, 20);
            Assert.Equal(100, square.Area);
            // An empty mask has the box [0, 0, 0, 0] and IoU 0 with anything.
            var empty = Mask.FromCounts(4, 4, new long[] { 16 });
            Assert.Equal(new double[] { 0, 0, 0, 0 }, empty.GetBoundingBox());
            Assert.Equal(0, Mask.Iou(empty, Mask.FromBox(0, 0, 2, 2, 4, 4)));
        }

        [Fact]
        public void CompressedStringOfKnownCounts()
        {
            // Hand-worked: 4 -> '4' (48+4); 1 -> '1'; 4 -> '4'.
            Assert.Equal("414", Mask.FromCounts(3, 3, new long[] { 4, 1, 4 }).ToCompressedString());
            // 100 = 0b11_00100: low group 4 with 'more' (48+4+32 = 'T'), then 3 -> '3'.
            Assert.Equal("T3", Mask.FromCounts(10, 10, new long[] { 100 }).ToCompressedString());
            // Fourth run 2 after second run 5: difference -3 = 0b11101 with the sign bit, no more -> 48+29 = 'M';
            // fifth run 0 after third run 1: -1 -> 48+31 = 'O'.
            Assert.Equal("151MO", Mask.FromCounts(1, 9, new long[] { 1, 5, 1, 2, 0 }).ToCompressedString());
        }

        private static byte[] RandomBitmap(Random random, int h, int w, double density)
        {
            var bits = new byte[h * w];
            // Blobs, like instance masks, plus some noise.
            int cx = random.Next(w), cy = random.Next(h), r = random.Next(1, Math.Max(2, Math.Min(h, w) / 2));
            for (int x = 0; x < w; x++)
                for (int y = 0; y < h; y++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r || random.NextDouble() < density) bits[x * h + y] = 1;
            return bits;
        }

        [Fact]
        public void MatchesBitmapArithmetic()
        {
            var random = new Random(7);
            for (int trial = 0; trial < 300; trial++)
            {
                int h = random.Next(1, 30), w = random.Next(1, 30);
                var a = RandomBitmap(random, h, w, random.NextDouble() * 0.1);
                var b = RandomBitmap(random, h, w, random.NextDouble() * 0.1);
                var ma = Mask.FromBitmap(a, h, w);
                var mb = Mask.FromBitmap(b, h, w);
                Assert.Equal(a.Select(v => v != 0 ? (byte)1 : (byte)0), ma.ToBitmap());
                Assert.Equal(ma, Mask.FromString(h, w, ma.ToCompressedString()));
                Assert.Equal(a.Count(v => v != 0), ma.Area);
                int inter = a.Zip(b, (x, y) => x != 0 && y != 0 ? 1 : 0).Sum();
                int union = a.Zip(b, (x, y) => x != 0 || y != 0 ? 1 : 0).Sum();
                Assert.Equal(union, Mask.Union(new[] { ma, mb }).Area);
                Assert.Equal(inter, Mask.Intersection(new[] { ma, mb }).Area);
                Assert.Equal(a.Zip(b, (x, y) => x != 0 || y != 0 ? (byte)1 : (byte)0), Mask.Union(new[] { ma, mb }).ToBitmap());
                double expected = inter == 0 ? 0 : (double)inter / union;
                Assert.Equal(expected, Mask.Iou(ma, mb));
                double crowd = inter == 0 ? 0 : (double)inter / ma.Area;
                Assert.Equal(crowd, Mask.Iou(ma, mb, groundTruthIsCrowd: true));
                if (ma.Area > 0)
                {
                    int xs = int.MaxValue, ys = int.MaxValue, xe = -1, ye = -1;
                    bool spans = false;
                    // toBbox: a run crossing columns makes the box full height.
                    for (int x = 0; x < w; x++) for (int y = 0; y < h; y++) if (a[x * h + y] != 0) { xs = Math.Min(xs, x); xe = Math.Max(xe, x); ys = Math.Min(ys, y); ye = Math.Max(ye, y); }
                    for (int x = 1; x < w; x++) if (a[x * h] != 0 && a[x * h - 1] != 0) spans = true;
                    if (spans) { ys = 0; ye = h - 1; }
                    Assert.Equal(new double[] { xs, ys, xe - xs + 1, ye - ys + 1 }, ma.GetBoundingBox());
                }
            }
        }

        [Fact]
        public void DifferentSizesGiveMinusOneWhenTheBoxesOverlap()
        {
            var a = Mask.FromBox(0, 0, 5, 5, 10, 10);
            var b = Mask.FromBox(0, 0, 5, 5, 10, 12);
            Assert.Equal(-1, Mask.Iou(a, b));
            Assert.Throws<MaskFormatException>(() => Mask.Union(new[] { a, b }));
        }

        [Theory]
        [InlineData("41", MaskProblem.CountsMismatch)]        // 4 + 1 = 5, not 9
        [InlineData("41a", MaskProblem.BadString)]            // 'a' = 49 + 32: a number that never ends
        [InlineData("4 14", MaskProblem.BadString)]           // a space is not in the alphabet
        [InlineData("4p4", MaskProblem.BadString)]            // 'p' is past 'o'
        [InlineData("", MaskProblem.CountsMismatch)]
        [InlineData("0O0", MaskProblem.BadString)]            // 'O' = -1: a negative run length
        [InlineData("ooooooooooo0", MaskProblem.BadString)]   // too long a number
        public void BrokenStringsAreRefused(string counts, MaskProblem problem)
        {
            var e = Assert.Throws<MaskFormatException>(() => Mask.FromString(3, 3, counts));
            Assert.Equal(problem, e.Problem);
        }

        [Fact]
        public void BadCountsAndPolygonsAreRefused()
        {
            Assert.Equal(MaskProblem.CountsMismatch, Assert.Throws<MaskFormatException>(() => Mask.FromCounts(3, 3, new long[] { 4, 4 })).Problem);
            Assert.Equal(MaskProblem.CountsMismatch, Assert.Throws<MaskFormatException>(() => Mask.FromCounts(3, 3, new long[] { 10, -1 })).Problem);
            Assert.Equal(MaskProblem.BadSize, Assert.Throws<MaskFormatException>(() => Mask.FromCounts(0, 3, new long[] { 0 })).Problem);
            Assert.Equal(MaskProblem.BadSize, Assert.Throws<MaskFormatException>(() => Mask.FromCounts(70000, 70000, new long[] { 0 })).Problem);
            Assert.Equal(MaskProblem.PolygonOddCoordinates, Assert.Throws<MaskFormatException>(() => Mask.FromPolygons(new[] { new double[] { 1, 2, 3, 4, 5, 6, 7 } })).Problem);
            Assert.Equal(MaskProblem.PolygonTooFewPoints, Assert.Throws<MaskFormatException>(() => Mask.FromPolygons(new[] { new double[] { 1, 2, 3, 4 } })).Problem);
            Assert.Equal(MaskProblem.PolygonTooFewPoints, Assert.Throws<MaskFormatException>(() => Mask.FromPolygons(Array.Empty<double[]>())).Problem);
            Assert.Equal(MaskProblem.PolygonBadCoordinate, Assert.Throws<MaskFormatException>(() => Mask.FromPolygons(new[] { new double[] { 1, 2, 3, double.NaN, 5, 6 } })).Problem);
        }

        [Fact]
        public void PolygonMasksWaitForASize()
        {
            var p = Mask.FromPolygons(new[] { new double[] { 1, 1, 1, 6, 6, 6, 6, 1 } });
            Assert.True(p.IsPolygon);
            Assert.Equal(-1, p.Area);
            Assert.Equal(new double[] { 1, 1, 5, 5 }, p.GetBoundingBox());
            Assert.Throws<InvalidOperationException>(() => p.ToCompressedString());
            var r = p.Rasterize(10, 10);
            Assert.False(r.IsPolygon);
            Assert.Equal(25, r.Area);
            Assert.Equal(r, Mask.FromBox(1, 1, 5, 5, 10, 10));
            Assert.Equal(MaskProblem.SizeMismatch, Assert.Throws<MaskFormatException>(() => r.Rasterize(10, 11)).Problem);
        }

        [Fact]
        public void PolygonsOutsideTheImageAreClipped()
        {
            var m = Mask.FromPolygons(new[] { new double[] { -50, -50, -50, 5, 5, 5, 5, -50 } }, 10, 10);
            Assert.Equal(25, m.Area);
            Assert.Equal(new double[] { 0, 0, 5, 5 }, m.GetBoundingBox());
            var outside = Mask.FromPolygons(new[] { new double[] { 20, 20, 20, 30, 30, 30 } }, 10, 10);
            Assert.Equal(0, outside.Area);
        }

        [Fact]
        public void DecoderSurvivesRandomStrings()
        {
            // Fuzz: any text is either a valid mask that re-encodes to a string decoding to the same mask, or a MaskFormatException.
            var random = new Random(11);
            int valid = 0;
            for (int i = 0; i < 20000; i++)
            {
                int length = random.Next(0, 12);
                var chars = new char[length];
                for (int j = 0; j < length; j++) chars[j] = random.Next(10) == 0 ? (char)random.Next(0, 200) : (char)random.Next(48, 112);
                int h = random.Next(1, 6), w = random.Next(1, 6);
                try
                {
                    var m = Mask.FromString(h, w, new string(chars));
                    Assert.Equal(m, Mask.FromString(h, w, m.ToCompressedString()));
                    valid++;
                }
                catch (MaskFormatException)
                {
                }
            }
            Assert.True(valid > 0);
        }
    }
}
