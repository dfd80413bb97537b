using System.Text.Json;

namespace BoxFusion.Coco
{
    // Ground-truth segmentations: polygons, uncompressed RLE (crowd regions) or compressed RLE.
    internal static partial class CocoGroundTruthReader
    {
        /// <summary>
        /// Reads the value after 'segmentation'. A mask that is not valid does not fail the file (box evaluation
        /// does not need it): it is kept as the annotation's <see cref="CocoAnnotation.MaskError"/> and reported
        /// when masks are evaluated.
        /// </summary>
        private static void ReadSegmentation(ref JsonStreamReader json, ref Context ctx, CocoAnnotation ann)
        {
            var b = ctx.Segmentation;
            b.Reset();
            string problem = null;
            switch (json.TokenType)
            {
                case JsonTokenType.Null:
                    return;
                case JsonTokenType.StartObject:
                    while (true)
                    {
                        Next(ref json, ref ctx);
                        if (json.TokenType == JsonTokenType.EndObject) break;
                        if (json.ValueTextEquals("size"u8))
                        {
                            Next(ref json, ref ctx);
                            if (json.TokenType != JsonTokenType.StartArray) { problem = problem ?? "'size' is not [height, width]"; json.Skip(); continue; }
                            int n = 0;
                            long h = 0, w = 0;
                            bool ok = true;
                            while (true)
                            {
                                Next(ref json, ref ctx);
                                if (json.TokenType == JsonTokenType.EndArray) break;
                                if (json.TokenType == JsonTokenType.Number && json.TryGetInt64(out long v)) { if (n == 0) h = v; else w = v; }
                                else { ok = false; json.Skip(); }
                                n++;
                            }
                            if (!ok || n != 2 || h <= 0 || w <= 0 || h > int.MaxValue || w > int.MaxValue) problem = problem ?? "'size' must be two positive integers [height, width]";
                            else b.SetSize((int)h, (int)w);
                        }
                        else if (json.ValueTextEquals("counts"u8))
                        {
                            Next(ref json, ref ctx);
                            if (json.TokenType == JsonTokenType.String)
                            {
                                string s = json.GetString();
                                var bytes = new byte[s.Length];
                                for (int i = 0; i < s.Length; i++) bytes[i] = s[i] < 128 ? (byte)s[i] : (byte)0;
                                b.SetText(bytes);
                            }
                            else if (json.TokenType == JsonTokenType.StartArray)
                            {
                                b.StartCountList();
                                while (true)
                                {
                                    Next(ref json, ref ctx);
                                    if (json.TokenType == JsonTokenType.EndArray) break;
                                    if (json.TokenType == JsonTokenType.Number && json.TryGetInt64(out long c)) b.AddCount(c);
                                    else { problem = problem ?? "'counts' holds something other than whole numbers"; json.Skip(); }
                                }
                            }
                            else { problem = problem ?? "'counts' is neither a string nor a list"; json.Skip(); }
                        }
                        else json.Skip();
                    }
                    Keep(ann, problem, b, rle: true);
                    return;
                case JsonTokenType.StartArray:
                    while (true)
                    {
                        Next(ref json, ref ctx);
                        if (json.TokenType == JsonTokenType.EndArray) break;
                        if (json.TokenType != JsonTokenType.StartArray) { problem = problem ?? "a polygon segmentation must be a list of polygons [[x1, y1, ...], ...]"; json.Skip(); continue; }
                        while (true)
                        {
                            Next(ref json, ref ctx);
                            if (json.TokenType == JsonTokenType.EndArray) break;
                            if (json.TokenType == JsonTokenType.Number && json.TryGetDouble(out double v)) b.AddPoint(v);
                            else { problem = problem ?? "a polygon holds something other than numbers"; json.Skip(); }
                        }
                        b.EndPolygon();
                    }
                    Keep(ann, problem, b, rle: false);
                    return;
                default:
                    ann.MaskError = new MaskFormatException(MaskProblem.BadSize, "'segmentation' is neither an RLE object nor a list of polygons");
                    return;
            }
        }

        private static void Keep(CocoAnnotation ann, string problem, SegmentationBuilder b, bool rle)
        {
            if (problem != null)
            {
                ann.MaskError = new MaskFormatException(MaskProblem.BadSize, "'segmentation': " + problem);
                return;
            }
            try
            {
                ann.Mask = rle ? b.BuildRle() : b.BuildPolygons();
            }
            catch (MaskFormatException e)
            {
                ann.MaskError = e;
            }
        }
    }
}
