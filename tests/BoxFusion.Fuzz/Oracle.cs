// The independent oracle: a strict reading of the same bytes with System.Text.Json's JsonDocument and the
// documented rules for records (Oracle.Classify -> Expectation), and the comparisons of what the pipeline gave
// against it (CompareImported, CompareSubmission, IsJson).

namespace BoxFusion.Fuzz
{
    /// <summary>What an independent reading of a results file says the reader must do.</summary>
    public sealed class Expectation
    {
        /// <summary>The file must fail; FileProblem is the exact problem when one is certain, else null (any file error).</summary>
        public bool FileError { get; set; }
        public string FileProblem { get; set; }
        public string Reason { get; set; }
        public long Good { get; set; }
        public long Records { get; set; }
        public Dictionary<string, long> Skipped { get; } = new Dictionary<string, long>();
        /// <summary>The good records as the reader must give them: image id (long or string), category, x, y, width, height, score.</summary>
        public List<object[]> GoodRecords { get; } = new List<object[]>();
        public override string ToString() => FileError
            ? "file error " + (FileProblem ?? "(any)") + ": " + Reason
            : Good + " good of " + Records + (Skipped.Count > 0 ? ", skipped " + string.Join(", ", Skipped.Select(p => p.Key + "=" + p.Value)) : "");
    }

    /// <summary>
    /// The documented rules, applied with JsonDocument (strict RFC 8259) rather than the streaming reader:
    /// a file that does not parse fails; a top level that is not a list fails (NotAList); an item that is not
    /// an object fails (RecordNotAnObject); else each record is good or skipped for its first problem.
    /// </summary>
    public static class Oracle
    {
        /// <summary>RFC 8259 with the readers' documented nesting limit (1000 levels, as deep as Python's json reads).</summary>
        private static readonly JsonDocumentOptions Strict = new JsonDocumentOptions { MaxDepth = 1000 };

        public static Expectation Classify(byte[] data, bool strictPrefix)
        {
            var x = new Expectation();
            int offset = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
            bool blank = true;
            for (int i = offset; i < data.Length && blank; i++) blank = data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n';
            if (blank) return Fail(x, "FileEmpty", "only whitespace");
            JsonDocument doc;
            try { doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(data, offset, data.Length - offset), Strict); }
            catch (JsonException e) { return Fail(x, strictPrefix ? "Truncated" : null, e.Message); }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Array) return Fail(x, "NotAList", "top level is " + root.ValueKind);
                try
                {
                    foreach (var record in root.EnumerateArray())
                    {
                        if (record.ValueKind != JsonValueKind.Object) return Fail(x, "RecordNotAnObject", "item " + x.Records + " is " + record.ValueKind);
                        string problem = Record(record, out object[] good);
                        x.Records++;
                        if (problem == null) { x.Good++; x.GoodRecords.Add(good); }
                        else x.Skipped[problem] = (x.Skipped.TryGetValue(problem, out long n) ? n : 0) + 1;
                    }
                }
                catch (InvalidOperationException e)
                {
                    return Fail(x, "NotJson", "a string is not valid UTF-8: " + e.Message);
                }
            }
            return x;
        }

        private static Expectation Fail(Expectation x, string problem, string reason)
        {
            x.FileError = true;
            x.FileProblem = problem;
            x.Reason = reason;
            return x;
        }

        private static bool Finite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

        /// <summary>The documented bound on a detection's numbers: each within 1e9 in magnitude.</summary>
        public static bool BeyondBound(double score, double x, double y, double w, double h) =>
            Math.Abs(score) > 1e9 || Math.Abs(x) > 1e9 || Math.Abs(y) > 1e9 || Math.Abs(w) > 1e9 || Math.Abs(h) > 1e9;

        /// <summary>The first problem of a record (property order, a used key given twice included), then missing fields, negative sizes, negative scores, numbers beyond 1e9.</summary>
        private static string Record(JsonElement record, out object[] good)
        {
            good = null;
            string problem = null;
            bool hasImage = false, hasCategory = false, hasBox = false, hasScore = false;
            int seen = 0;
            double x = 0, y = 0, w = 0, h = 0, score = 0;
            object image = null;
            int category = 0;
            foreach (var p in record.EnumerateObject())
            {
                int field = p.NameEquals("image_id") ? 0 : p.NameEquals("category_id") ? 1 : p.NameEquals("bbox") ? 2 : p.NameEquals("score") ? 3 : -1;
                var v = p.Value;
                var kind = v.ValueKind;
                if (field < 0) continue;
                if ((seen & (1 << field)) != 0) problem = problem ?? "DuplicateKey"; // a used key given twice
                seen |= 1 << field;
                if (field != 2 && (kind == JsonValueKind.Array || kind == JsonValueKind.Object)) { problem = problem ?? "WrongType"; continue; }
                switch (field)
                {
                    case 0:
                        if (kind == JsonValueKind.Number) { if (v.TryGetInt64(out long id)) { hasImage = true; image = id; } else problem = problem ?? "WrongType"; }
                        else if (kind == JsonValueKind.String) { image = v.GetString(); hasImage = true; }
                        else problem = problem ?? "WrongType";
                        break;
                    case 1:
                        if (kind == JsonValueKind.Number && v.TryGetInt32(out int c)) { hasCategory = true; category = c; }
                        else problem = problem ?? "WrongType";
                        break;
                    case 2:
                        if (kind != JsonValueKind.Array) { problem = problem ?? "BadBox"; break; }
                        string boxProblem = null;
                        int count = 0;
                        var values = new double[4];
                        foreach (var item in v.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.Number)
                            {
                                if (count < 4)
                                {
                                    if (!item.TryGetDouble(out double d) || !Finite(d)) boxProblem = boxProblem ?? "NonFiniteNumber";
                                    else values[count] = d;
                                }
                            }
                            else boxProblem = boxProblem ?? (item.ValueKind == JsonValueKind.String ? "WrongType" : "BadBox");
                            count++;
                        }
                        if (boxProblem == null && count != 4) boxProblem = "BadBox";
                        if (boxProblem != null) problem = problem ?? boxProblem;
                        else { x = values[0]; y = values[1]; w = values[2]; h = values[3]; hasBox = true; }
                        break;
                    case 3:
                        if (kind == JsonValueKind.Number)
                        {
                            if (v.TryGetDouble(out double s) && Finite(s)) { score = s; hasScore = true; }
                            else problem = problem ?? "NonFiniteNumber";
                        }
                        else problem = problem ?? "WrongType";
                        break;
                }
            }
            if (problem != null) return problem;
            if (!hasImage || !hasCategory || !hasBox || !hasScore) return "MissingField";
            if (w < 0 || h < 0) return "NegativeSize";
            if (score < 0) return "ScoreOutOfRange";
            if (BeyondBound(score, x, y, w, h)) return "OutOfRange";
            good = new object[] { image, category, x, y, w, h, score };
            return null;
        }

        /// <summary>The detections Import-Detection passed on against the good records, in order and exactly. Null when they agree.</summary>
        public static string CompareImported(Expectation x, IList imported)
        {
            int count = imported == null ? 0 : imported.Count;
            if (count != x.GoodRecords.Count) return "Import-Detection passed on " + count + " detections; expected " + x;
            for (int i = 0; i < count; i++)
            {
                var o = imported[i];
                var d = (o is PSObject ps ? ps.BaseObject : o) as BoxFusion.Detection;
                var r = x.GoodRecords[i];
                bool sameId = d != null && (r[0] is string s ? d.ImageId is string t && t == s : d.ImageId is long n && n == (long)r[0]);
                if (!sameId || d.CategoryId != (int)r[1] || d.X != (double)r[2] || d.Y != (double)r[3] || d.Width != (double)r[4] || d.Height != (double)r[5] || d.Score != (double)r[6])
                {
                    return string.Format(CultureInfo.InvariantCulture, "detection {0} is {1}; the file says image {2}, category {3}, box [{4}, {5}, {6}, {7}], score {8}",
                        i, d, r[0] is string q ? "\"" + q + "\"" : r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
                }
            }
            return null;
        }

        /// <summary>Is this strictly valid JSON (after an optional BOM)?</summary>
        public static bool IsJson(byte[] data)
        {
            int offset = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
            try { using (JsonDocument.Parse(new ReadOnlyMemory<byte>(data, offset, data.Length - offset), Strict)) return true; }
            catch (JsonException) { return false; }
        }

        /// <summary>
        /// The submission, read as strict JSON, against the fused detections Export-Submission keeps (an image id,
        /// finite numbers within 1e9, a score not negative, positive width and height), in order and exactly. Null when they agree.
        /// </summary>
        public static string CompareSubmission(byte[] file, IList fused)
        {
            var kept = new List<BoxFusion.Detection>();
            if (fused != null)
            {
                foreach (var o in fused)
                {
                    var d = (o is PSObject ps ? ps.BaseObject : o) as BoxFusion.Detection;
                    if (d == null) return "Merge-Detection wrote a " + (o == null ? "null" : o.GetType().FullName);
                    if (d.ImageId != null && Finite(d.Score) && Finite(d.X) && Finite(d.Y) && Finite(d.Width) && Finite(d.Height) && d.Width > 0 && d.Height > 0
                        && d.Score >= 0 && !BeyondBound(d.Score, d.X, d.Y, d.Width, d.Height)) kept.Add(d);
                }
            }
            JsonDocument doc;
            try { doc = JsonDocument.Parse(file); }
            catch (JsonException e) { return "the submission is not valid JSON: " + e.Message; }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array) return "the submission is not a list";
                int i = 0;
                foreach (var r in doc.RootElement.EnumerateArray())
                {
                    if (i >= kept.Count) return "the submission has more records than the " + kept.Count + " kept";
                    var d = kept[i];
                    try
                    {
                        var id = r.GetProperty("image_id");
                        bool sameId = d.ImageId is string s ? id.ValueKind == JsonValueKind.String && id.GetString() == s : id.ValueKind == JsonValueKind.Number && id.GetInt64() == (long)d.ImageId;
                        var box = r.GetProperty("bbox");
                        bool same = sameId && r.GetProperty("category_id").GetInt32() == d.CategoryId && r.GetProperty("score").GetDouble() == d.Score
                            && box.GetArrayLength() == 4 && box[0].GetDouble() == d.X && box[1].GetDouble() == d.Y && box[2].GetDouble() == d.Width && box[3].GetDouble() == d.Height;
                        if (!same) return "submission record " + i + " " + r.GetRawText() + " differs from " + d;
                    }
                    catch (Exception e) when (e is KeyNotFoundException || e is InvalidOperationException || e is FormatException)
                    {
                        return "submission record " + i + " is malformed: " + r.GetRawText();
                    }
                    i++;
                }
                if (i != kept.Count) return "the submission has " + i + " records; " + kept.Count + " fused detections should have been written";
            }
            return null;
        }
    }
}
