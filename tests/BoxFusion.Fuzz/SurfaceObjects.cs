// The fuzz oracle of the other surfaces, part 2: -ImageInfo objects with odd values and the rules they must pass
// (MakeImageRecords), New-Detection input of every kind and what each must give (MakeDetectionInputs), and the
// comparisons of what the cmdlets gave.

namespace BoxFusion.Fuzz
{
    public static partial class SurfaceOracle
    {
        // --- -ImageInfo objects -----------------------------------------------------------------------------------

        /// <summary>What the records are made of, by shape: 0 hashtables, 1 and 2 objects, 3 either at random.</summary>
        private static readonly string[] ShapeNames = { "hashtables", "objects", "objects", "mixed" };

        private static readonly object[] OddValues =
        {
            0, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e308, "abc", "640", " 480 ", "", null, true, 1.5, "x.jpg", 3.0, 7L, (short)9, 2.5f, 10m, "1e3", "-5", "NaN",
        };

        /// <summary>
        /// The fixture's images as -ImageInfo objects (hashtables, custom objects, or both; in a list, under 'images', or one alone),
        /// with 0 to 3 odd values; the verdict says whether they must be accepted and, if so, the image sizes they stand for.
        /// </summary>
        public static object MakeImageRecords(BoxFusion.Coco.CocoGroundTruth fixture, Random rng, out SurfaceVerdict verdict, out string description)
        {
            var notes = new List<string>();
            int count = rng.Next(6) == 0 ? 1 : fixture.Images.Count;
            var fields = new List<Dictionary<string, object>>();
            for (int i = 0; i < count; i++)
            {
                var im = fixture.Images[i];
                fields.Add(new Dictionary<string, object> { { "id", im.Id }, { "file_name", im.FileName }, { "width", im.Width }, { "height", im.Height } });
            }
            int odd = rng.Next(4);
            for (int k = 0; k < odd; k++)
            {
                int r = rng.Next(count);
                string field = new[] { "id", "width", "height", "width", "height", "file_name" }[rng.Next(6)];
                switch (rng.Next(5))
                {
                    case 0: fields[r].Remove(field); notes.Add("record " + r + ": no " + field); break;
                    case 1 when count > 1:
                        int other = rng.Next(count);
                        fields[r]["id"] = fields[other]["id"];
                        notes.Add("record " + r + ": the id of record " + other);
                        break;
                    default:
                        object value = OddValues[rng.Next(OddValues.Length)];
                        fields[r][field] = value;
                        notes.Add("record " + r + ": " + field + " = " + (value == null ? "$null" : value is string s ? "'" + s + "'" : value + " (" + value.GetType().Name + ")"));
                        break;
                }
            }
            verdict = JudgeImageRecords(fields);
            int shape = rng.Next(4);
            var records = new List<object>();
            foreach (var f in fields)
            {
                bool hashtable = shape == 0 || (shape == 3 && rng.Next(2) == 0);
                if (hashtable)
                {
                    var h = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var p in f) h[p.Key] = p.Value;
                    records.Add(h);
                }
                else
                {
                    var o = new PSObject();
                    foreach (var p in f) o.Properties.Add(new PSNoteProperty(p.Key, p.Value));
                    records.Add(o);
                }
            }
            object given;
            int holder = rng.Next(5);
            if (holder == 0) { var h = new Hashtable(StringComparer.OrdinalIgnoreCase) { { "images", records.ToArray() } }; given = h; notes.Add("under 'images' of a hashtable"); }
            else if (holder == 1) { var o = new PSObject(); o.Properties.Add(new PSNoteProperty("images", records.ToArray())); given = o; notes.Add("under 'images' of an object"); }
            else if (records.Count == 1 && rng.Next(2) == 0) { given = records[0]; notes.Add("one record alone"); }
            else given = records.ToArray();
            notes.Add(ShapeNames[shape]);
            description = string.Join("; ", notes);
            return given;
        }

        /// <summary>The documented rules for image records, applied independently of the cmdlet.</summary>
        private static SurfaceVerdict JudgeImageRecords(List<Dictionary<string, object>> records)
        {
            var v = new SurfaceVerdict();
            var images = new List<BoxFusion.Coco.CocoImage>();
            var ids = new Dictionary<object, int>();
            var names = new HashSet<string>();
            for (int i = 0; i < records.Count; i++)
            {
                var r = records[i];
                object id = r.TryGetValue("id", out var rawId) ? rawId : null;
                object normalized = NormalizeId(id);
                double width = Size(r, "width"), height = Size(r, "height");
                bool bad = normalized == null || !(width > 0) || double.IsInfinity(width) || !(height > 0) || double.IsInfinity(height) || ids.ContainsKey(normalized);
                if (bad)
                {
                    v.FirstBadRecord = i;
                    return v.Set("Invalid", "record " + i);
                }
                ids.Add(normalized, i);
                string fileName = r.TryGetValue("file_name", out var f) ? f as string : null;
                // Two images of one file name: how a string id finds its image is another fix's business; either outcome passes.
                if (fileName != null && !names.Add(fileName)) v.Set("Uncertain", "two records named " + fileName);
                images.Add(new BoxFusion.Coco.CocoImage(normalized, fileName, width, height, i));
            }
            v.Truth = new BoxFusion.Coco.CocoGroundTruth(images, null, null);
            return v;
        }

        private static object NormalizeId(object id)
        {
            switch (id)
            {
                case string s: return s;
                case int n: return (long)n;
                case long n: return n;
                case short n: return (long)n;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15: return (long)d;
                case float f when f == Math.Floor(f) && Math.Abs(f) < 16777216f: return (long)f;
                case decimal m when m == decimal.Truncate(m): return (long)m;
                default: return null;   // missing, null, bool, 1.5, 2.5f ...
            }
        }

        /// <summary>A width or height: a number, or text that is one (trimmed); NaN for anything else (which is refused).</summary>
        private static double Size(Dictionary<string, object> r, string name)
        {
            if (!r.TryGetValue(name, out var value)) return double.NaN;
            switch (value)
            {
                case int n: return n;
                case long n: return n;
                case short n: return n;
                case double d: return d;
                case float f: return f;
                case decimal m: return (double)m;
                case string s: return double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : double.NaN;
                default: return double.NaN;
            }
        }

        // --- New-Detection input ----------------------------------------------------------------------------------

        private static readonly object[] Numbers = { 10.0, 0, -5, 12.5, 1e9, -1e9, 1e9 + 1, 1e308, -1e308, double.NaN, double.PositiveInfinity, double.NegativeInfinity, "12.5", "abc", 3, 7L };
        private static readonly object[] Scores = { 0.5, 0, 1, 1.5, -0.1, double.NaN, double.PositiveInfinity, 1e9, 1e10, "0.25", "abc", 0.9f };
        private static readonly object[] ImageIdValues = { 1, 2L, "7.jpg", "42", "0042", 1.5, 3.0 };

        /// <summary>
        /// Inputs for New-Detection: objects with ImageId, CategoryId, Score and a box as X, Y, Width, Height (all four, so the
        /// same objects also convert to detections when piped into Merge-Detection), with values of every kind.
        /// </summary>
        public static object[] MakeDetectionInputs(Random rng, out SurfaceVerdict verdict, out string description)
        {
            int n = 1 + rng.Next(8);
            var inputs = new object[n];
            verdict = new SurfaceVerdict();
            var notes = new List<string>();
            for (int i = 0; i < n; i++)
            {
                bool plain = rng.Next(3) == 0;
                object Pick(object[] pool, object normal) => plain ? normal : rng.Next(3) == 0 ? pool[rng.Next(pool.Length)] : normal;
                var values = new object[]
                {
                    Pick(ImageIdValues, (object)(long)(1 + rng.Next(3))), (object)(1 + rng.Next(3)), Pick(Scores, (object)(0.1 + rng.Next(9) / 10.0)),
                    Pick(Numbers, (object)(double)rng.Next(100)), Pick(Numbers, (object)(double)rng.Next(100)), Pick(Numbers, (object)(double)(1 + rng.Next(50))), Pick(Numbers, (object)(double)(1 + rng.Next(50))),
                };
                string[] names = { "ImageId", "CategoryId", "Score", "X", "Y", "Width", "Height" };
                var o = new PSObject();
                for (int k = 0; k < names.Length; k++) o.Properties.Add(new PSNoteProperty(names[k], values[k]));
                string model = "m" + rng.Next(3);
                o.Properties.Add(new PSNoteProperty("Model", model));
                inputs[i] = o;
                notes.Add("(" + string.Join(", ", values.Select(x => x is string s ? "'" + s + "'" : Convert.ToString(x, CultureInfo.InvariantCulture))) + ")");
                verdict.PerInput.Add(ExpectDetection(values, model, out string refused));
                verdict.RefusedAs.Add(refused);
            }
            description = string.Join(" ", notes);
            return inputs;
        }

        /// <summary>What New-Detection must make of one input: the detection, or null and why it is refused (InvalidNumber: text that is not an invariant number; InvalidDetection).</summary>
        private static BoxFusion.Detection ExpectDetection(object[] values, string model, out string refused)
        {
            refused = null;
            // New-Detection reads the image id first, so an id that is neither an integer nor text is what it reports.
            object givenId = values[0];
            if (givenId is string idText && idText.Length > 0 && idText[0] != '0' && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out long idNumber)) givenId = idNumber;
            if (NormalizeId(givenId) == null) { refused = "InvalidDetection"; return null; }
            var numbers = new double[7];
            for (int k = 1; k < 7; k++)
            {
                object x = values[k];
                if (x is string s)
                {
                    if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[k])) { refused = "InvalidNumber"; return null; }
                }
                else numbers[k] = Convert.ToDouble(x, CultureInfo.InvariantCulture);
            }
            object id = values[0];
            if (id is string text && text.Length > 0 && text[0] != '0' && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed)) id = parsed;
            object normalized = NormalizeId(id);
            double score = numbers[2], x0 = numbers[3], y0 = numbers[4], w = numbers[5], h = numbers[6];
            bool finite = new[] { score, x0, y0, w, h }.All(d => !double.IsNaN(d) && !double.IsInfinity(d));
            bool valid = normalized != null && finite && score >= 0 && w >= 0 && h >= 0 && !Oracle.BeyondBound(score, x0, y0, w, h);
            if (!valid) { refused = "InvalidDetection"; return null; }
            return new BoxFusion.Detection(normalized, (int)numbers[1], score, x0, y0, w, h, model);
        }

        /// <summary>New-Detection's output against the verdict: exactly the valid inputs' detections, in order. Null when they agree.</summary>
        public static string CompareNewDetection(SurfaceVerdict verdict, IList output)
        {
            var expected = verdict.PerInput.Where(d => d != null).ToList();
            int count = output == null ? 0 : output.Count;
            if (count != expected.Count) return "New-Detection gave " + count + " detections; expected " + expected.Count;
            for (int i = 0; i < count; i++)
            {
                var d = (output[i] is PSObject p ? p.BaseObject : output[i]) as BoxFusion.Detection;
                var e = expected[i];
                if (d == null || !Equals(d.ImageId, e.ImageId) || d.CategoryId != e.CategoryId || d.Score != e.Score || d.X != e.X || d.Y != e.Y || d.Width != e.Width || d.Height != e.Height || d.Model != e.Model)
                    return "detection " + i + " is " + d + "; expected " + e;
            }
            return null;
        }

        /// <summary>Two lists of fused detections, exactly. Null when they agree.</summary>
        public static string SameDetections(IList expected, IList actual)
        {
            int ne = expected == null ? 0 : expected.Count, na = actual == null ? 0 : actual.Count;
            if (ne != na) return na + " fused detections; expected " + ne;
            for (int i = 0; i < ne; i++)
            {
                var e = (expected[i] is PSObject p ? p.BaseObject : expected[i]) as BoxFusion.Detection;
                var a = (actual[i] is PSObject q ? q.BaseObject : actual[i]) as BoxFusion.Detection;
                if (e == null || a == null || !Equals(e.ImageId, a.ImageId) || e.CategoryId != a.CategoryId || e.Score != a.Score || e.X != a.X || e.Y != a.Y || e.Width != a.Width || e.Height != a.Height)
                    return "fused detection " + i + " is " + a + "; expected " + e;
            }
            return null;
        }
    }
}
