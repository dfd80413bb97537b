using System;
using System.Text.Json;

namespace BoxFusion.Json
{
    /// <summary>
    /// Reads a results record's <c>segmentation</c> value from an open Utf8JsonReader: a compressed RLE
    /// <c>{"size": [h, w], "counts": "..."}</c>, an uncompressed one (<c>counts</c> a list of run lengths),
    /// or a list of polygons. A bad segmentation is a problem of its record (skipped), never of the file.
    /// </summary>
    internal static class SegmentationReader
    {
        /// <summary>Reader is on the value's first token; consumes the value. False: the buffer ran out (read the record again with more).</summary>
        public static bool Read(ref Utf8JsonReader reader, SegmentationBuilder builder, out Mask mask, out string problem, out RecordProblem kind)
        {
            mask = null;
            problem = null;
            kind = RecordProblem.BadMask;
            builder.Reset();
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return true; // written by some tools for "no mask"
                case JsonTokenType.StartObject:
                    if (!ReadRle(ref reader, builder, ref problem, ref kind)) return false;
                    if (problem == null) Build(() => builder.BuildRle(), out mask, ref problem, ref kind);
                    return true;
                case JsonTokenType.StartArray:
                    if (!ReadPolygons(ref reader, builder, ref problem, ref kind)) return false;
                    if (problem == null) Build(() => builder.BuildPolygons(), out mask, ref problem, ref kind);
                    return true;
                default:
                    problem = "'segmentation' is " + Describe(reader.TokenType) + "; expected an RLE object {\"size\", \"counts\"} or a list of polygons";
                    return true;
            }
        }

        private static void Build(Func<Mask> build, out Mask mask, ref string problem, ref RecordProblem kind)
        {
            mask = null;
            try
            {
                mask = build();
            }
            catch (MaskFormatException e)
            {
                problem = "'segmentation': " + e.Message;
                kind = KindOf(e.Problem);
            }
        }

        /// <summary>The record problem (and so the error id) for each kind of bad mask.</summary>
        public static RecordProblem KindOf(MaskProblem problem)
        {
            switch (problem)
            {
                case MaskProblem.CountsMismatch: return RecordProblem.MaskCountsMismatch;
                case MaskProblem.BadString: return RecordProblem.MaskStringInvalid;
                case MaskProblem.PolygonOddCoordinates: return RecordProblem.PolygonOddCoordinates;
                case MaskProblem.PolygonTooFewPoints: return RecordProblem.PolygonTooFewPoints;
                default: return RecordProblem.BadMask;
            }
        }

        private static bool ReadRle(ref Utf8JsonReader reader, SegmentationBuilder builder, ref string problem, ref RecordProblem kind)
        {
            while (true)
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.EndObject) return true;
                bool size = reader.ValueTextEquals("size"u8), counts = reader.ValueTextEquals("counts"u8);
                if (!reader.Read()) return false;
                var type = reader.TokenType;
                if (size)
                {
                    if (type != JsonTokenType.StartArray)
                    {
                        if (type == JsonTokenType.StartObject && !reader.TrySkip()) return false;
                        Fail(ref problem, ref kind, RecordProblem.BadMask, "'segmentation' 'size' is " + Describe(type) + "; expected [height, width]");
                        continue;
                    }
                    int n = 0;
                    long h = 0, w = 0;
                    bool integers = true;
                    while (true)
                    {
                        if (!reader.Read()) return false;
                        if (reader.TokenType == JsonTokenType.EndArray) break;
                        if ((reader.TokenType == JsonTokenType.StartArray || reader.TokenType == JsonTokenType.StartObject) && !reader.TrySkip()) return false;
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long v)) { if (n == 0) h = v; else if (n == 1) w = v; }
                        else integers = false;
                        n++;
                    }
                    if (!integers || n != 2 || h <= 0 || w <= 0 || h > int.MaxValue || w > int.MaxValue)
                        Fail(ref problem, ref kind, RecordProblem.BadMask, "'segmentation' 'size' must be two positive integers [height, width]");
                    else builder.SetSize((int)h, (int)w);
                }
                else if (counts)
                {
                    if (type == JsonTokenType.String)
                    {
                        if (!reader.ValueIsEscaped) builder.SetText(reader.ValueSpan);
                        else
                        {
                            string s = reader.GetString();
                            var bytes = new byte[s.Length];
                            for (int i = 0; i < s.Length; i++) bytes[i] = s[i] < 128 ? (byte)s[i] : (byte)0; // 0 is refused by the decoder
                            builder.SetText(bytes);
                        }
                    }
                    else if (type == JsonTokenType.StartArray)
                    {
                        builder.StartCountList();
                        while (true)
                        {
                            if (!reader.Read()) return false;
                            if (reader.TokenType == JsonTokenType.EndArray) break;
                            if ((reader.TokenType == JsonTokenType.StartArray || reader.TokenType == JsonTokenType.StartObject) && !reader.TrySkip()) return false;
                            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long c)) builder.AddCount(c);
                            else Fail(ref problem, ref kind, RecordProblem.MaskCountsMismatch, "'segmentation' 'counts' holds " + Describe(reader.TokenType) + "; run lengths are whole numbers");
                        }
                    }
                    else
                    {
                        if (type == JsonTokenType.StartObject && !reader.TrySkip()) return false;
                        Fail(ref problem, ref kind, RecordProblem.BadMask, "'segmentation' 'counts' is " + Describe(type) + "; expected a compressed string or a list of run lengths");
                    }
                }
                else if ((type == JsonTokenType.StartArray || type == JsonTokenType.StartObject) && !reader.TrySkip()) return false;
            }
        }

        private static bool ReadPolygons(ref Utf8JsonReader reader, SegmentationBuilder builder, ref string problem, ref RecordProblem kind)
        {
            while (true)
            {
                if (!reader.Read()) return false;
                var type = reader.TokenType;
                if (type == JsonTokenType.EndArray) return true;
                if (type != JsonTokenType.StartArray)
                {
                    if (type == JsonTokenType.StartObject && !reader.TrySkip()) return false;
                    Fail(ref problem, ref kind, RecordProblem.BadMask, "'segmentation' holds " + Describe(type) + "; a polygon segmentation is a list of polygons [[x1, y1, x2, y2, ...], ...]");
                    continue;
                }
                while (true)
                {
                    if (!reader.Read()) return false;
                    if (reader.TokenType == JsonTokenType.EndArray) break;
                    if ((reader.TokenType == JsonTokenType.StartArray || reader.TokenType == JsonTokenType.StartObject) && !reader.TrySkip()) return false;
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double v)) builder.AddPoint(v);
                    else Fail(ref problem, ref kind, RecordProblem.BadMask, "a 'segmentation' polygon holds " + Describe(reader.TokenType) + "; expected numbers x1, y1, x2, y2, ...");
                }
                builder.EndPolygon();
            }
        }

        private static void Fail(ref string problem, ref RecordProblem kind, RecordProblem k, string text)
        {
            if (problem != null) return;
            problem = text;
            kind = k;
        }

        private static string Describe(JsonTokenType type)
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
    }
}
