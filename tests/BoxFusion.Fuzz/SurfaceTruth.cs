// The fuzz oracle of the other surfaces, part 1: SurfaceVerdict, and for ground-truth files the mutations
// (MutateTruth) and the independent reading (ReadTruth) with its evaluation. Part 2, for -ImageInfo objects and
// New-Detection input, is SurfaceObjects.cs; the driver is tests/Fuzz/Surfaces.ps1.

namespace BoxFusion.Fuzz
{
    /// <summary>What a surface case must give: Valid (accepted, and then exactly Expected), Invalid (refused), Uncertain (either).</summary>
    public sealed class SurfaceVerdict
    {
        public string Outcome { get; private set; } = "Valid";
        public string Reason { get; private set; }
        public BoxFusion.Coco.CocoGroundTruth Truth { get; set; }
        /// <summary>ImageInfo: the first bad record. New-Detection: per input, the detection it must give (null: refused).</summary>
        public int FirstBadRecord { get; set; } = -1;
        public List<BoxFusion.Detection> PerInput { get; } = new List<BoxFusion.Detection>();
        public List<string> RefusedAs { get; } = new List<string>();
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

    public static partial class SurfaceOracle
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
                        text = Mutator.Splice(text, value.Index, value.Index + value.Length, replacement);
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
                        notes.Add(string.Concat("annotation ", a.Value.AsSpan(0, Math.Min(20, a.Value.Length)), "... repeated"));
                        text = Mutator.Splice(text, at.Index + at.Length, at.Index + at.Length, ", " + copy);
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
                        text = Mutator.Splice(text, start, end, "");
                        break;
                    }
                    case 4:
                    {
                        var images = Image.Matches(text);
                        if (images.Count == 0) break;
                        var i = images[rng.Next(images.Count)];
                        string copy = rng.Next(2) == 0 ? i.Value : Regex.Replace(i.Value, @"""id"": \d+", "\"id\": " + (1000 + rng.Next(5)));
                        notes.Add(string.Concat("image ", copy.AsSpan(0, Math.Min(24, copy.Length)), "... added"));
                        text = Mutator.Splice(text, i.Index + i.Length, i.Index + i.Length, ", " + copy);
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
                        text = Mutator.Splice(text, a.Index + 1, a.Index + 1, add + ", ");
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
    }
}
