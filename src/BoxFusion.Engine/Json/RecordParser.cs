using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace BoxFusion.Json
{
    /// <summary>
    /// Parses one results record from an open Utf8JsonReader. Image ids are shared: every record of the
    /// same image gets the same boxed id object, which keeps detections small and grouping cheap.
    /// </summary>
    internal sealed class RecordParser
    {
        public enum Outcome { Good, Skipped, NeedMore }

        private static readonly string[] FieldNames = { "image_id", "category_id", "bbox", "score", "segmentation" };

        /// <summary>This reader's model, shared by all its detections.</summary>
        private readonly DetectionOrigin origin;
        private readonly Dictionary<long, object> numericIds = new Dictionary<long, object>();
        private readonly Dictionary<string, string> stringIds = new Dictionary<string, string>(StringComparer.Ordinal);
        private long lastNumericId = long.MinValue;
        private object lastNumericBoxed;
        private byte[] lastStringBytes; // the raw bytes of lastString when they were unescaped, else null
        private string lastString;

        public RecordParser(string model) { origin = new DetectionOrigin(model, ValueList<string>.Empty); }

        /// <summary>Reused for every record's segmentation (the fast path decodes with its scratch too).</summary>
        internal SegmentationBuilder Segmentation { get; } = new SegmentationBuilder();

        public long ScoresAboveOne { get; private set; }
        public long FirstScoreAboveOne { get; private set; } = -1;

        /// <summary>Reader is on the record's StartObject; on Good or Skipped it ends on the EndObject.</summary>
        public Outcome Parse(ref Utf8JsonReader reader, long index, SkippedRecords skipped, out RecordValues record)
        {
            record = default;
            object imageId = null;
            int category = 0;
            double score = double.NaN, x = 0, y = 0, w = 0, h = 0;
            bool hasCategory = false, hasScore = false, hasBox = false;
            int seen = 0; // one bit per field, for keys given twice
            Mask mask = null;
            RecordProblem? problem = null;
            string detail = null;

            while (true)
            {
                if (!reader.Read()) return Outcome.NeedMore;
                if (reader.TokenType == JsonTokenType.EndObject) break;
                // Property name; then its value.
                int field = reader.ValueTextEquals("image_id"u8) ? 0
                    : reader.ValueTextEquals("category_id"u8) ? 1
                    : reader.ValueTextEquals("bbox"u8) ? 2
                    : reader.ValueTextEquals("score"u8) ? 3
                    : reader.ValueTextEquals("segmentation"u8) ? 4 : -1;
                if (field >= 0)
                {
                    // Python's json would keep the last value silently; which one the writer meant is unknown.
                    if ((seen & (1 << field)) != 0) Fail(ref problem, ref detail, RecordProblem.DuplicateKey, "'" + FieldNames[field] + "' is given twice");
                    seen |= 1 << field;
                }
                if (!reader.Read()) return Outcome.NeedMore;
                var type = reader.TokenType;
                if (field != 2 && field != 4 && (type == JsonTokenType.StartArray || type == JsonTokenType.StartObject))
                {
                    if (!reader.TrySkip()) return Outcome.NeedMore;
                    if (field >= 0) Fail(ref problem, ref detail, RecordProblem.WrongType, "'" + FieldNames[field] + "' is " + TypeName(type));
                    continue;
                }
                if (field < 0) continue;
                switch (field)
                {
                    case 0:
                        if (type == JsonTokenType.Number)
                        {
                            if (reader.TryGetInt64(out long n)) imageId = NumericId(n);
                            else Fail(ref problem, ref detail, RecordProblem.WrongType, "'image_id' must be an integer or a string; got " + Raw(ref reader));
                        }
                        else if (type == JsonTokenType.String) imageId = StringId(ref reader);
                        else Fail(ref problem, ref detail, RecordProblem.WrongType, "'image_id' is " + TypeName(type) + "; expected an integer or a string");
                        break;
                    case 1:
                        if (type == JsonTokenType.Number && reader.TryGetInt32(out int c)) { category = c; hasCategory = true; }
                        else Fail(ref problem, ref detail, RecordProblem.WrongType, "'category_id' must be an integer; got " + ValueText(ref reader, type));
                        break;
                    case 2:
                        if (type != JsonTokenType.StartArray)
                        {
                            if (type == JsonTokenType.StartObject && !reader.TrySkip()) return Outcome.NeedMore;
                            Fail(ref problem, ref detail, RecordProblem.BadBox, "'bbox' is " + TypeName(type) + "; expected a list of 4 numbers [x, y, width, height]");
                            break;
                        }
                        var box = ParseBox(ref reader, out string boxProblem, out RecordProblem boxKind);
                        if (box == null) return Outcome.NeedMore;
                        if (boxProblem != null) Fail(ref problem, ref detail, boxKind, boxProblem);
                        else { x = box[0]; y = box[1]; w = box[2]; h = box[3]; hasBox = true; }
                        break;
                    case 4:
                        if (!SegmentationReader.Read(ref reader, Segmentation, out mask, out string maskProblem, out RecordProblem maskKind)) return Outcome.NeedMore;
                        if (maskProblem != null) Fail(ref problem, ref detail, maskKind, maskProblem);
                        break;
                    case 3:
                        if (type == JsonTokenType.Number)
                        {
                            if (reader.TryGetDouble(out double s) && Numbers.IsFinite(s)) { score = s; hasScore = true; }
                            else Fail(ref problem, ref detail, RecordProblem.NonFiniteNumber, "'score' " + Raw(ref reader) + " is too large for a double");
                        }
                        else Fail(ref problem, ref detail, RecordProblem.WrongType, "'score' must be a number; got " + ValueText(ref reader, type));
                        break;
                }
            }

            if (problem == null)
            {
                string missing = imageId == null ? "image_id" : !hasCategory ? "category_id" : !hasBox && mask == null ? "bbox" : !hasScore ? "score" : null;
                if (missing != null) Fail(ref problem, ref detail, RecordProblem.MissingField, "no '" + missing + "'");
                else if (DetectionRules.Problem(score, x, y, w, h, out var kind) is string bad) Fail(ref problem, ref detail, kind, bad);
                else if (score > 1)
                {
                    // Kept: WBF with Avg and unequal weights or -AllowOverflow legitimately writes such scores.
                    if (ScoresAboveOne++ == 0) FirstScoreAboveOne = index;
                }
            }
            if (problem != null)
            {
                skipped.Add(problem.Value, index, detail);
                return Outcome.Skipped;
            }
            record.ImageId = imageId;
            record.CategoryId = category;
            record.Score = score;
            record.X = x;
            record.Y = y;
            record.Width = w;
            record.Height = h;
            if (mask != null) MaskRecords.Attach(ref record, mask, hasBox);
            return Outcome.Good;
        }

        private static void Fail(ref RecordProblem? problem, ref string detail, RecordProblem kind, string text)
        {
            if (problem != null) return; // the first problem of a record explains it
            problem = kind;
            detail = text;
        }

        private readonly double[] boxValues = new double[4];

        /// <summary>Reads [x, y, w, h]; null means the buffer ran out. Consumes through the closing bracket.</summary>
        private double[] ParseBox(ref Utf8JsonReader reader, out string problem, out RecordProblem kind)
        {
            problem = null;
            kind = RecordProblem.BadBox;
            int count = 0;
            while (true)
            {
                if (!reader.Read()) return null;
                var type = reader.TokenType;
                if (type == JsonTokenType.EndArray) break;
                if (type == JsonTokenType.Number)
                {
                    if (count < 4)
                    {
                        if (!reader.TryGetDouble(out double v) || !Numbers.IsFinite(v))
                        {
                            if (problem == null) { problem = "'bbox' value " + Raw(ref reader) + " is too large for a double"; kind = RecordProblem.NonFiniteNumber; }
                        }
                        else boxValues[count] = v;
                    }
                    count++;
                    continue;
                }
                if ((type == JsonTokenType.StartArray || type == JsonTokenType.StartObject) && !reader.TrySkip()) return null;
                if (problem == null)
                {
                    problem = "'bbox' holds " + ValueText(ref reader, type) + "; expected 4 numbers [x, y, width, height]";
                    kind = type == JsonTokenType.String ? RecordProblem.WrongType : RecordProblem.BadBox;
                }
                count++;
            }
            if (problem == null && count != 4) problem = "'bbox' has " + count + " values; expected 4 numbers [x, y, width, height]";
            return boxValues;
        }

        private object NumericId(long n)
        {
            if (n == lastNumericId) return lastNumericBoxed;
            if (!numericIds.TryGetValue(n, out var boxed)) numericIds.Add(n, boxed = n);
            lastNumericId = n;
            lastNumericBoxed = boxed;
            return boxed;
        }

        private string StringId(ref Utf8JsonReader reader)
        {
            bool plain = !reader.ValueIsEscaped && !reader.HasValueSequence;
            if (plain && lastStringBytes != null && reader.ValueSpan.SequenceEqual(lastStringBytes)) return lastString;
            string s = reader.GetString();
            if (!stringIds.TryGetValue(s, out var shared)) stringIds.Add(s, shared = s);
            // An escaped id ("7\u002ejpg") leaves no raw bytes to compare the next id with.
            lastStringBytes = plain ? reader.ValueSpan.ToArray() : null;
            lastString = shared;
            return shared;
        }

        /// <summary>The value as written in the file (escapes kept, invalid UTF-8 shown as U+FFFD), cut to a readable length.</summary>
        private static string Raw(ref Utf8JsonReader reader)
        {
            var span = reader.ValueSpan;
            const int Max = 40;
            string text = System.Text.Encoding.UTF8.GetString(span.Slice(0, Math.Min(span.Length, Max * 4)).ToArray());
            return text.Length > Max ? text.Substring(0, Max) + "..." : text;
        }

        private static string ValueText(ref Utf8JsonReader reader, JsonTokenType type) =>
            type == JsonTokenType.String ? "the string \"" + Raw(ref reader) + "\" (numbers must not be quoted)" : TypeName(type);

        /// <summary>A JSON token as a message says it ("a list", "null"); shared by the record and segmentation readers.</summary>
        internal static string TypeName(JsonTokenType type)
        {
            switch (type)
            {
                case JsonTokenType.String: return "a string";
                case JsonTokenType.Number: return "a number";
                case JsonTokenType.StartArray: return "a list";
                case JsonTokenType.StartObject: return "an object";
                case JsonTokenType.Null: return "null";
                case JsonTokenType.True:
                case JsonTokenType.False: return "a boolean";
                default: return type.ToString();
            }
        }

        // Used by FastRecordParser: the same shared ids and model as the slow path.
        internal object InternNumericId(long n) => NumericId(n);

        internal object InternStringId(byte[] bytes, int start, int length)
        {
            var span = new ReadOnlySpan<byte>(bytes, start, length);
            if (lastStringBytes != null && span.SequenceEqual(lastStringBytes)) return lastString; // null: the last id was escaped (or there was none)
            string s = System.Text.Encoding.ASCII.GetString(bytes, start, length);
            if (!stringIds.TryGetValue(s, out var shared)) stringIds.Add(s, shared = s);
            lastStringBytes = span.ToArray();
            lastString = shared;
            return shared;
        }

        /// <summary>The detection of a good record, with this reader's model name.</summary>
        internal Detection Create(in RecordValues record)
        {
            var d = new Detection(origin, record.ImageId, record.CategoryId, record.Score, record.X, record.Y, record.Width, record.Height);
            if (record.Mask != null) d.SetMask(record.Mask, record.BoxFromMask);
            return d;
        }
    }
}
