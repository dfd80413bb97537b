# The fuzz cases of the other input surfaces (C# part compiled by Initialize-FuzzEngine in Fuzz.ps1; the driver is
# Invoke-FuzzSurfaceCase below):
#   - ground-truth files: the fixture gt.json with values replaced, fields dropped, annotations and images repeated,
#     or damaged as the results files are, given to Measure-Detection -GroundTruth;
#   - -ImageInfo objects: the fixture's images as objects or hashtables (alone, in a list, or under 'images'),
#     with bad or odd values, given to Merge-Detection -ImageInfo;
#   - New-Detection input: objects with every kind of value, given to New-Detection and, as they are, to
#     Merge-Detection.
# The oracle idea is the same as for results files: never a foreign exception, never a hang, and what is accepted
# gives exactly what an independent reading of the same input says (SurfaceOracle).

$script:FuzzSurfaceSource = @'
namespace BoxFusionFuzz
{
    /// <summary>What a surface case must give: Valid (accepted, and then exactly Expected), Invalid (refused), Uncertain (either).</summary>
    public sealed class SurfaceVerdict
    {
        public string Outcome = "Valid";
        public string Reason;
        public BoxFusion.Coco.CocoGroundTruth Truth;
        /// <summary>ImageInfo: the first bad record. New-Detection: per input, the detection it must give (null: refused).</summary>
        public int FirstBadRecord = -1;
        public List<BoxFusion.Detection> PerInput = new List<BoxFusion.Detection>();
        public List<string> RefusedAs = new List<string>();
        public override string ToString() => Outcome + (Reason == null ? "" : ": " + Reason);

        public SurfaceVerdict Set(string outcome, string reason)
        {
            // Invalid wins over Uncertain; the first reason of the strongest outcome is kept.
            if (Outcome == "Invalid" || (Outcome == "Uncertain" && outcome == "Uncertain")) return this;
            Outcome = outcome;
            Reason = reason;
            return this;
        }
    }

    public static class SurfaceOracle
    {
        // --- ground-truth files -----------------------------------------------------------------------------------

        private static readonly Regex GtField = new Regex(@"""(id|image_id|category_id|bbox|width|height|file_name|area|iscrowd|name|ignore)""\s*:\s*(\[[^\]]*\]|""[^""]*""|[^,}\]]+)", RegexOptions.Compiled | RegexOptions.CultureInvariant);
        private static readonly Regex Annotation = new Regex(@"\{""id"": \d+, ""image_id""[^{}]*\}", RegexOptions.Compiled);
        private static readonly Regex Image = new Regex(@"\{""id"": \d+, ""file_name""[^{}]*\}", RegexOptions.Compiled);
        private static readonly string[] GtValues =
        {
            "0", "-1", "0.5", "-0.5", "1.5", "2", "255", "255.9", "256", "1e400", "1e308", "1e10", "true", "false", "null", "\"x\"", "\"0.jpg\"",
            "\"\"", "3.0", "[1, 2, 3, 4]", "[0, 0, 0, 0]", "[1, 2, 3]", "[1e308, 0, 1e308, 5]", "9007199254740993", "-0", "1e-300", "{}", "[]", "\"640\"", "7",
        };

        /// <summary>The fixture gt.json changed in the ways ground truths go wrong (or odd but valid).</summary>
        public static Mutant MutateTruth(byte[] source, Random rng)
        {
            if (rng.Next(5) == 0) return Mutator.Mutate(source, rng);
            string text = Encoding.UTF8.GetString(source);
            var notes = new List<string>();
            int edits = 1 + rng.Next(3);
            for (int e = 0; e < edits; e++)
            {
                switch (rng.Next(6))
                {
                    case 0:
                    case 1:
                    {
                        var fields = GtField.Matches(text);
                        if (fields.Count == 0) break;
                        var f = fields[rng.Next(fields.Count)];
                        var value = f.Groups[2];
                        string replacement = rng.Next(4) == 0 ? Mutator.RandomNumber(rng) : GtValues[rng.Next(GtValues.Length)];
                        notes.Add("'" + f.Groups[1].Value + "' " + value.Value.Trim() + " -> " + replacement);
                        text = text.Substring(0, value.Index) + replacement + text.Substring(value.Index + value.Length);
                        break;
                    }
                    case 2:
                    {
                        // An annotation again with the same id (pycocotools keeps the last), elsewhere and moved a little.
                        var anns = Annotation.Matches(text);
                        if (anns.Count == 0) break;
                        var a = anns[rng.Next(anns.Count)];
                        var at = anns[rng.Next(anns.Count)];
                        string copy = Regex.Replace(a.Value, @"""bbox"": \[([0-9.]+)", m => "\"bbox\": [" + (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + rng.Next(40)).ToString(CultureInfo.InvariantCulture));
                        notes.Add("annotation " + a.Value.Substring(0, Math.Min(20, a.Value.Length)) + "... repeated");
                        text = text.Substring(0, at.Index + at.Length) + ", " + copy + text.Substring(at.Index + at.Length);
                        break;
                    }
                    case 3:
                    {
                        var fields = GtField.Matches(text);
                        if (fields.Count == 0) break;
                        var f = fields[rng.Next(fields.Count)];
                        int start = f.Index, end = f.Index + f.Length;
                        if (end < text.Length && text[end] == ',') end++;
                        else if (start >= 2 && text[start - 2] == ',') start -= 2;
                        notes.Add("'" + f.Groups[1].Value + "' dropped");
                        text = text.Substring(0, start) + text.Substring(end);
                        break;
                    }
                    case 4:
                    {
                        var images = Image.Matches(text);
                        if (images.Count == 0) break;
                        var i = images[rng.Next(images.Count)];
                        string copy = rng.Next(2) == 0 ? i.Value : Regex.Replace(i.Value, @"""id"": \d+", "\"id\": " + (1000 + rng.Next(5)));
                        notes.Add("image " + copy.Substring(0, Math.Min(24, copy.Length)) + "... added");
                        text = text.Substring(0, i.Index + i.Length) + ", " + copy + text.Substring(i.Index + i.Length);
                        break;
                    }
                    default:
                    {
                        var anns = Annotation.Matches(text);
                        if (anns.Count == 0) break;
                        var a = anns[rng.Next(anns.Count)];
                        string[] extra = { "\"ignore\": 1", "\"iscrowd\": 1", "\"iscrowd\": 0.5", "\"segmentation\": [[1, 2, 3, 4]]", "\"x\": {\"y\": [null]}", "\"iscrowd\": 2" };
                        string add = extra[rng.Next(extra.Length)];
                        notes.Add(add + " added to an annotation");
                        text = text.Substring(0, a.Index + 1) + add + ", " + text.Substring(a.Index + 1);
                        break;
                    }
                }
            }
            return new Mutant { Data = Encoding.UTF8.GetBytes(text), Description = string.Join("; ", notes) };
        }

        /// <summary>
        /// The documented reading of a ground-truth file, with JsonDocument: Invalid where the reader must refuse it, Uncertain
        /// where the rules leave room (repeated keys or sections, repeated file names, 'images': null, nesting beyond 64),
        /// else Valid with the ground truth it must give.
        /// </summary>
        public static SurfaceVerdict ReadTruth(byte[] data, string path)
        {
            var v = new SurfaceVerdict();
            int offset = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(data, offset, data.Length - offset)); }
            catch (JsonException e) { return v.Set(e.Message.Contains("depth") ? "Uncertain" : "Invalid", "not JSON: " + e.Message); }
            using (doc)
            {
                try
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return v.Set("Invalid", "the top level is " + root.ValueKind);
                    var images = new List<BoxFusion.Coco.CocoImage>();
                    var annotations = new List<BoxFusion.Coco.CocoAnnotation>();
                    var categories = new List<BoxFusion.Coco.CocoCategory>();
                    var seen = new HashSet<string>();
                    bool sawImages = false;
                    foreach (var section in root.EnumerateObject())
                    {
                        string name = section.Name;
                        if (name != "images" && name != "annotations" && name != "categories") continue;
                        if (!seen.Add(name)) v.Set("Uncertain", "'" + name + "' twice");
                        if (name == "images") sawImages = true;
                        var array = section.Value;
                        if (array.ValueKind == JsonValueKind.Null)
                        {
                            if (name == "images") v.Set("Uncertain", "'images' is null");
                            continue;
                        }
                        if (array.ValueKind != JsonValueKind.Array) return v.Set("Invalid", "'" + name + "' is " + array.ValueKind);
                        int index = 0;
                        foreach (var item in array.EnumerateArray())
                        {
                            if (item.ValueKind != JsonValueKind.Object) return v.Set("Invalid", name + "[" + index + "] is " + item.ValueKind);
                            if (HasRepeatedKey(item)) v.Set("Uncertain", name + "[" + index + "] has a key twice");
                            string bad = name == "images" ? ReadImage(item, index, images) : name == "annotations" ? ReadAnnotation(item, index, annotations) : ReadCategory(item, categories);
                            if (bad != null) return v.Set("Invalid", name + "[" + index + "]: " + bad);
                            index++;
                        }
                    }
                    if (!sawImages) return v.Set("Invalid", "no 'images'");
                    var ids = new HashSet<object>();
                    var names = new HashSet<string>();
                    foreach (var image in images)
                    {
                        if (!ids.Add(image.Id)) return v.Set("Invalid", "duplicate image id " + image.Id);
                        if (image.FileName != null && !names.Add(image.FileName)) v.Set("Uncertain", "two images named " + image.FileName);
                    }
                    var categoryIds = new HashSet<int>();
                    foreach (var c in categories) if (!categoryIds.Add(c.Id)) return v.Set("Invalid", "duplicate category id " + c.Id);
                    if (v.Outcome == "Valid" || v.Outcome == "Uncertain") v.Truth = new BoxFusion.Coco.CocoGroundTruth(images, annotations, categories, path);
                }
                catch (InvalidOperationException e)
                {
                    return v.Set("Invalid", "a string is not valid UTF-8: " + e.Message);
                }
            }
            return v;
        }

        private static bool HasRepeatedKey(JsonElement item)
        {
            var keys = new HashSet<string>();
            foreach (var p in item.EnumerateObject()) if (!keys.Add(p.Name)) return true;
            return false;
        }

        /// <summary>An id: a string, or an integer (an integral number below 2^53 counts).</summary>
        private static bool Id(JsonElement e, out object id)
        {
            id = null;
            if (e.ValueKind == JsonValueKind.String) { id = e.GetString(); return true; }
            if (e.ValueKind != JsonValueKind.Number) return false;
            if (e.TryGetInt64(out long n)) { id = n; return true; }
            if (e.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15) { id = (long)d; return true; }
            return false;
        }

        private static bool Int32(JsonElement e, out int value)
        {
            value = 0;
            if (e.ValueKind != JsonValueKind.Number) return false;
            if (e.TryGetInt32(out value)) return true;
            if (e.TryGetDouble(out double d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) { value = (int)d; return true; }
            return false;
        }

        private static string ReadImage(JsonElement item, int index, List<BoxFusion.Coco.CocoImage> images)
        {
            object id = null;
            string fileName = null;
            double width = 0, height = 0;
            bool hasWidth = false, hasHeight = false;
            foreach (var p in item.EnumerateObject())
            {
                var e = p.Value;
                switch (p.Name)
                {
                    case "id": if (!Id(e, out id)) return "bad id"; break;
                    case "file_name":
                        if (e.ValueKind == JsonValueKind.String) fileName = e.GetString();
                        else if (e.ValueKind == JsonValueKind.Null) fileName = null;
                        else return "file_name is " + e.ValueKind;
                        break;
                    case "width": if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out width)) return "bad width"; hasWidth = true; break;
                    case "height": if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out height)) return "bad height"; hasHeight = true; break;
                }
            }
            if (id == null || !hasWidth || !hasHeight) return "no id, width or height";
            if (!(width > 0) || double.IsInfinity(width) || !(height > 0) || double.IsInfinity(height)) return "size " + width + " x " + height;
            images.Add(new BoxFusion.Coco.CocoImage(id, fileName, width, height, index));
            return null;
        }

        private static string ReadAnnotation(JsonElement item, int index, List<BoxFusion.Coco.CocoAnnotation> annotations)
        {
            var a = new BoxFusion.Coco.CocoAnnotation();
            bool hasId = false, hasImage = false, hasCategory = false, hasBox = false, hasArea = false;
            foreach (var p in item.EnumerateObject())
            {
                var e = p.Value;
                switch (p.Name)
                {
                    case "bbox":
                        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 4) return "bbox is not 4 numbers";
                        var box = new double[4];
                        for (int i = 0; i < 4; i++)
                            if (e[i].ValueKind != JsonValueKind.Number || !e[i].TryGetDouble(out box[i]) || double.IsNaN(box[i]) || double.IsInfinity(box[i])) return "bbox item " + i;
                        a.X = box[0]; a.Y = box[1]; a.Width = box[2]; a.Height = box[3];
                        hasBox = true;
                        break;
                    case "image_id": if (!Id(e, out object image)) return "bad image_id"; a.ImageId = image; hasImage = true; break;
                    case "category_id": if (!Int32(e, out int c)) return "bad category_id"; a.CategoryId = c; hasCategory = true; break;
                    case "id": if (!Id(e, out object id) || !(id is long n)) return "bad id"; a.Id = n; hasId = true; break;
                    case "area": if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double area)) return "bad area"; a.Area = area; hasArea = true; break;
                    case "iscrowd":
                        if (e.ValueKind == JsonValueKind.True) a.CrowdValue = 1;
                        else if (e.ValueKind == JsonValueKind.False || e.ValueKind == JsonValueKind.Null) a.CrowdValue = 0;
                        else if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double crowd) && Math.Truncate(crowd) >= 0 && Math.Truncate(crowd) <= 255) a.CrowdValue = crowd;
                        else return "bad iscrowd";
                        break;
                    case "ignore":
                        if (e.ValueKind == JsonValueKind.True) a.Ignore = true;
                        else if (e.ValueKind == JsonValueKind.False || e.ValueKind == JsonValueKind.Null) a.Ignore = false;
                        else if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double ig)) a.Ignore = ig != 0;
                        else return "bad ignore";
                        break;
                }
            }
            if (!hasImage || !hasCategory || !hasBox) return "no image_id, category_id or bbox";
            if (!hasId) { a.Id = index + 1L; a.IdAssigned = true; }
            if (!hasArea) a.Area = a.Width * a.Height;
            annotations.Add(a);
            return null;
        }

        private static string ReadCategory(JsonElement item, List<BoxFusion.Coco.CocoCategory> categories)
        {
            int id = 0;
            bool hasId = false;
            string name = null, super = null;
            foreach (var p in item.EnumerateObject())
            {
                var e = p.Value;
                switch (p.Name)
                {
                    case "id": if (!Int32(e, out id)) return "bad id"; hasId = true; break;
                    case "name":
                    case "supercategory":
                        string s = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                        if (s == null && e.ValueKind != JsonValueKind.Null) return p.Name + " is " + e.ValueKind;
                        if (p.Name == "name") name = s; else super = s;
                        break;
                }
            }
            if (!hasId) return "no id";
            categories.Add(new BoxFusion.Coco.CocoCategory(id, name, super));
            return null;
        }

        /// <summary>The statistics the truth must give for these detections, or the unknown image's error id.</summary>
        public static object Evaluate(BoxFusion.Coco.CocoGroundTruth truth, IList<BoxFusion.Detection> detections)
        {
            try { return BoxFusion.Evaluation.CocoEvaluator.Evaluate(truth, detections.ToList()).Stats; }
            catch (BoxFusion.Evaluation.UnknownImageException) { return "ImageNotInGroundTruth"; }
        }

        public static string SameStats(double[] expected, object actual)
        {
            var list = (actual is PSObject p ? p.BaseObject : actual) as IList;
            if (list == null || list.Count != 12) return "no statistics";
            var stats = new double[12];
            for (int i = 0; i < 12; i++) stats[i] = Convert.ToDouble(list[i] is PSObject q ? q.BaseObject : list[i], CultureInfo.InvariantCulture);
            for (int i = 0; i < 12; i++)
                if (BitConverter.DoubleToInt64Bits(stats[i]) != BitConverter.DoubleToInt64Bits(expected[i]))
                    return "stats[" + i + "] is " + stats[i].ToString("R", CultureInfo.InvariantCulture) + "; the independent reading gives " + expected[i].ToString("R", CultureInfo.InvariantCulture);
            return null;
        }

        // --- -ImageInfo objects -----------------------------------------------------------------------------------

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
            notes.Add(new[] { "hashtables", "objects", "objects", "mixed" }[shape]);
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
                o.Properties.Add(new PSNoteProperty("Model", "m" + rng.Next(3)));
                inputs[i] = o;
                notes.Add("(" + string.Join(", ", values.Select(x => x is string s ? "'" + s + "'" : Convert.ToString(x, CultureInfo.InvariantCulture))) + ")");
                verdict.PerInput.Add(ExpectDetection(values, "m" + ((PSNoteProperty)o.Properties["Model"]).Value.ToString().Substring(1), out string refused));
                verdict.RefusedAs.Add(refused);
            }
            description = string.Join(" ", notes);
            return inputs;
        }

        /// <summary>What New-Detection must make of one input: the detection, or null and why it is refused (Binding or InvalidDetection).</summary>
        private static BoxFusion.Detection ExpectDetection(object[] values, string model, out string refused)
        {
            refused = null;
            var numbers = new double[7];
            for (int k = 1; k < 7; k++)
            {
                object x = values[k];
                if (x is string s)
                {
                    if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[k])) { refused = "Binding"; return null; }
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
'@

# Run inside the case runspace (added to Runner.ps1's pipeline functions).
$script:FuzzSurfacePipeline = @'
function Invoke-FuzzGroundTruth {
    param([string] $Detections, [string] $GroundTruth, [bool] $Stop)
    $ea = if ($Stop) { 'Stop' } else { 'SilentlyContinue' }
    $result = $null; $errors = $null; $caught = $null; $warnings = $null
    try {
        $result = Import-Detection -LiteralPath $Detections | Measure-Detection -GroundTruth $GroundTruth -ErrorAction $ea -ErrorVariable errors -WarningVariable warnings -WarningAction SilentlyContinue
    }
    catch { $caught = $_ }
    [pscustomobject]@{ Stats = $result.Stats; Errors = @($errors); Caught = $caught; Warnings = @($warnings) }
}

function Invoke-FuzzImageInfo {
    param([string] $Detections, $ImageInfo, $Reference, [string] $Method)
    $fused = $null; $errors = $null; $caught = $null; $expected = $null; $expectedErrors = $null
    $boxes = Import-Detection -LiteralPath $Detections
    try { $fused = $boxes | Merge-Detection -Method $Method -ImageInfo $ImageInfo -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue }
    catch { $caught = $_ }
    if ($null -ne $Reference) {
        $expected = $boxes | Merge-Detection -Method $Method -ImageInfo $Reference -ErrorAction SilentlyContinue -ErrorVariable expectedErrors -WarningAction SilentlyContinue
    }
    [pscustomobject]@{ Fused = @($fused); Errors = @($errors); Caught = $caught; Expected = @($expected); ExpectedErrors = @($expectedErrors) }
}

function Invoke-FuzzNewDetection {
    param([object[]] $Inputs)
    $made = $null; $errors = $null; $caught = $null; $direct = $null; $directErrors = $null; $viaNew = $null
    try { $made = $Inputs | New-Detection -ErrorAction SilentlyContinue -ErrorVariable errors }
    catch { $caught = $_ }
    try { $direct = $Inputs | Merge-Detection -ErrorAction SilentlyContinue -ErrorVariable directErrors -WarningAction SilentlyContinue }
    catch { $caught = $_ }
    $viaNew = $made | Merge-Detection -WarningAction SilentlyContinue
    [pscustomobject]@{ Made = @($made); Errors = @($errors); Caught = $caught; Direct = @($direct); DirectErrors = @($directErrors); ViaNew = @($viaNew) }
}
'@

# PowerShell's own errors for a pipeline object whose property does not convert to the parameter's type: ordinary, allowed.
$script:BindingErrorIds = 'InputObjectNotBound', 'InputObjectMissingMandatory', 'ParameterArgumentTransformationError', 'ParameterArgumentValidationErrorNullNotAllowed', 'ParameterArgumentValidationError', 'CannotConvertArgumentNoMessage', 'ParameterArgumentValidationErrorEmptyStringNotAllowed'
$script:SurfaceErrorIds = @{
    MeasureDetectionCommand = 'GroundTruthInvalid', 'GroundTruthNotFound', 'ImageNotInGroundTruth', 'InvalidDetection', 'DetectionWithoutImageId'
    MergeDetectionCommand   = 'ImageInfoInvalid', 'ImageNotInImageInfo', 'InvalidDetection', 'DetectionWithoutImageId'
    NewDetectionCommand     = 'InvalidDetection', 'IncompleteBox'
}

# Problems with one error of a surface case: not ours (and not PowerShell's ordinary binding error), or an ErrorId we do not define.
function Test-FuzzSurfaceError($Record, [System.Collections.Generic.List[string]] $Problems) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) { $Record = $Record.ErrorRecord }
    if ($Record -isnot [System.Management.Automation.ErrorRecord]) { $Problems.Add("not an ErrorRecord: $Record"); return }
    $id = $Record.FullyQualifiedErrorId
    if ($Record.Exception -is [System.Management.Automation.ParameterBindingException] -and ($id -split ',')[0] -in $script:BindingErrorIds) { return }
    if ($Record.Exception.GetType().FullName -ne 'BoxFusion.Commands.BoxFusionException') { $Problems.Add("foreign exception $($Record.Exception.GetType().FullName) ($id): $($Record.Exception.Message)"); return }
    if ($id -notmatch '^(\w+),BoxFusion\.Commands\.(\w+)$' -or $Matches[1] -notin $script:SurfaceErrorIds[$Matches[2]]) { $Problems.Add("unknown ErrorId '$id': $($Record.Exception.Message)"); return }
    if ("$($Record.Exception.Message)" -match '   at ') { $Problems.Add("$id has a stack trace") }
}

<#
.SYNOPSIS
    One surface case (number $N of the run): 'GroundTruth', 'ImageInfo' or 'NewDetection' by turns. Returns the ErrorIds seen
    and adds what is wrong to $Problems; $Kept gets the input to keep for replay when there is a problem.
#>
function Invoke-FuzzSurfaceCase($State, [int] $N, [System.Random] $Rng, $Fixture, [string] $WorkFolder, [System.Collections.Generic.List[string]] $Problems, [ref] $Kept) {
    $ids = [System.Collections.Generic.HashSet[string]]::new()
    $kind = ('GroundTruth', 'ImageInfo', 'NewDetection')[$N % 3]
    switch ($kind) {
        'GroundTruth' {
            $mutant = [BoxFusionFuzz.SurfaceOracle]::MutateTruth($Fixture.GtBytes, $Rng)
            $Kept.Value = @{ Kind = $kind; Data = $mutant.Data; Description = $mutant.Description }
            $gtPath = Join-Path $WorkFolder 'truth.json'
            [System.IO.File]::WriteAllBytes($gtPath, $mutant.Data)
            $verdict = [BoxFusionFuzz.SurfaceOracle]::ReadTruth($mutant.Data, $gtPath)
            $run = Invoke-FuzzRun $State @{ Detections = $Fixture.Path; GroundTruth = $gtPath; Stop = $false } 'Invoke-FuzzGroundTruth'
            if ($run -eq 'hang') { $Problems.Add("hang: Measure-Detection did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            $refused = $ids.Contains('GroundTruthInvalid')
            if ($verdict.Outcome -eq 'Invalid' -and -not $refused) { $Problems.Add("a ground truth the rules refuse was accepted ($verdict)") }
            elseif ($verdict.Outcome -eq 'Valid' -and $refused) { $Problems.Add("a valid ground truth was refused: $(@($run.Errors) + @($run.Caught) | Select-Object -First 1)") }
            elseif (-not $refused -and $verdict.Truth) {
                $detections = [System.Collections.Generic.List[BoxFusion.Detection]]::new()
                foreach ($d in $Fixture.Detections) { $detections.Add($d) }
                $expected = [BoxFusionFuzz.SurfaceOracle]::Evaluate($verdict.Truth, $detections)
                if ($expected -is [string]) {
                    if (-not $ids.Contains($expected)) { $Problems.Add("expected $expected; got $($ids -join ', ')") }
                }
                elseif ($ids.Contains('ImageNotInGroundTruth')) { $Problems.Add("ImageNotInGroundTruth, but every image is in the independent reading") }
                else {
                    $difference = [BoxFusionFuzz.SurfaceOracle]::SameStats($expected, $run.Stats)
                    if ($difference) { $Problems.Add($difference + " ($verdict)") }
                }
                $duplicates = $verdict.Truth.DuplicateAnnotationIdCount
                if ($duplicates -gt 0 -and -not ($run.Warnings | Where-Object { "$_" -like "*$duplicates annotation* an id with a later annotation*" })) { $Problems.Add("no warning for $duplicates repeated annotation ids") }
            }
        }
        'ImageInfo' {
            $verdict = $null; $description = $null
            $records = [BoxFusionFuzz.SurfaceOracle]::MakeImageRecords($Fixture.Truth, $Rng, [ref] $verdict, [ref] $description)
            $Kept.Value = @{ Kind = $kind; Description = $description }
            $method = ('WBF', 'NMS', 'SoftNMS', 'NMW')[$Rng.Next(4)]
            $run = Invoke-FuzzRun $State @{ Detections = $Fixture.Path; ImageInfo = $records; Reference = $verdict.Truth; Method = $method } 'Invoke-FuzzImageInfo'
            if ($run -eq 'hang') { $Problems.Add("hang: Merge-Detection -ImageInfo did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            if ($verdict.Outcome -eq 'Invalid') {
                $e = $run.Caught
                if (-not $e -or (ConvertTo-FuzzErrorId $e) -ne 'ImageInfoInvalid') { $Problems.Add("records the rules refuse ($verdict) were accepted") }
                elseif ("$($e.Exception.Message)" -notlike "-ImageInfo: image record $($verdict.FirstBadRecord) *") { $Problems.Add("the error names another record than $($verdict.FirstBadRecord): $($e.Exception.Message)") }
                elseif ($e.CategoryInfo.Category -ne 'InvalidArgument' -or $null -eq $e.TargetObject) { $Problems.Add("ImageInfoInvalid lacks its category or target") }
            }
            elseif ($run.Caught) { if ($verdict.Outcome -eq 'Valid') { $Problems.Add("valid records were refused: $($run.Caught.Exception.Message)") } }
            else {
                $difference = [BoxFusionFuzz.SurfaceOracle]::SameDetections($run.Expected, $run.Fused)
                if ($difference) { $Problems.Add($difference) }
                $got = @($run.Errors | ForEach-Object { ConvertTo-FuzzErrorId $_ }) -join ','
                $want = @($run.ExpectedErrors | ForEach-Object { ConvertTo-FuzzErrorId $_ }) -join ','
                if ($got -ne $want) { $Problems.Add("errors $got; with the same sizes from a ground truth: $want") }
            }
        }
        'NewDetection' {
            $verdict = $null; $description = $null
            $inputs = [BoxFusionFuzz.SurfaceOracle]::MakeDetectionInputs($Rng, [ref] $verdict, [ref] $description)
            $Kept.Value = @{ Kind = $kind; Description = $description }
            $run = Invoke-FuzzRun $State @{ Inputs = $inputs } 'Invoke-FuzzNewDetection'
            if ($run -eq 'hang') { $Problems.Add("hang: New-Detection did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.DirectErrors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            if ($run.Caught) { $Problems.Add("the pipeline stopped: $($run.Caught.Exception.Message)") }
            $difference = [BoxFusionFuzz.SurfaceOracle]::CompareNewDetection($verdict, $run.Made)
            if ($difference) { $Problems.Add($difference) }
            $refusals = @($verdict.RefusedAs | Where-Object { $_ })
            $errorCount = @($run.Errors).Count
            if ($errorCount -ne $refusals.Count) { $Problems.Add("$errorCount errors from New-Detection for $($refusals.Count) refused inputs") }
            if (@($run.Errors | Where-Object { (ConvertTo-FuzzErrorId $_) -eq 'InvalidDetection' }).Count -ne @($refusals | Where-Object { $_ -eq 'InvalidDetection' }).Count) {
                $Problems.Add("InvalidDetection errors do not match the refused values: $((@($run.Errors) | ForEach-Object { $_.Exception.Message }) -join ' | ')")
            }
            # The same objects piped straight into Merge-Detection: what it accepts fuses as New-Detection's output does.
            $difference = [BoxFusionFuzz.SurfaceOracle]::SameDetections($run.ViaNew, $run.Direct)
            if ($difference) { $Problems.Add("objects piped into Merge-Detection: $difference") }
        }
    }
    $ids
}
