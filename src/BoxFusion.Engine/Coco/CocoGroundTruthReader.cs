using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using BoxFusion.Json;

namespace BoxFusion.Coco
{
    /// <summary>Streams a COCO ground-truth file into a <see cref="CocoGroundTruth"/>.</summary>
    internal static partial class CocoGroundTruthReader
    {
        private const string Images = "images", Annotations = "annotations", Categories = "categories";

        /// <summary>Where the reader is, for error messages.</summary>
        private struct Context
        {
            public string Path;
            public string Section;
            public int Index;
            /// <summary>Read the annotations' segmentations (for mask evaluation); otherwise they are skipped.</summary>
            public bool Masks;
            public SegmentationBuilder Segmentation;
        }

        /// <param name="bufferSize">0 for the default; tests use tiny buffers to exercise the refills.</param>
        /// <param name="masks">Also read each annotation's segmentation (polygons or RLE) into <see cref="CocoAnnotation.Mask"/>.</param>
        /// <param name="cancel">Stops the read (OperationCanceledException) at the next refill of the buffer.</param>
        public static CocoGroundTruth Read(string path, bool imagesOnly, int bufferSize = 0, bool masks = false, CancellationToken cancel = default)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var images = new List<CocoImage>();
            var annotations = new List<CocoAnnotation>();
            var categories = new List<CocoCategory>();
            var ctx = new Context { Path = path, Index = -1, Masks = masks && !imagesOnly, Segmentation = masks ? new SegmentationBuilder() : null };
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                Stream stream = cancel.CanBeCanceled ? new CancellableReadStream(file, cancel) : (Stream)file;
                var json = default(JsonStreamReader);
                try
                {
                    json = new JsonStreamReader(stream, bufferSize > 0 ? bufferSize : (int)Math.Min(1 << 20, Math.Max(4096, stream.Length + 16)));
                    if (!json.Read())
                        throw Fail(ref json, ref ctx, "the file is empty.");
                    if (json.TokenType != JsonTokenType.StartObject)
                        throw Fail(ref json, ref ctx, "the top level must be a JSON object with 'images', 'annotations' and 'categories'; found " + Describe(json.TokenType) + ".");
                    bool sawImages = false, sawAnnotations = false, sawCategories = false;
                    while (true)
                    {
                        Next(ref json, ref ctx);
                        if (json.TokenType == JsonTokenType.EndObject) break;
                        if (json.ValueTextEquals("images"u8))
                        {
                            Once(ref json, ref ctx, Images, ref sawImages);
                            ReadArray(ref json, ref ctx, Images, images, annotations, categories);
                        }
                        else if (json.ValueTextEquals("annotations"u8))
                        {
                            Once(ref json, ref ctx, Annotations, ref sawAnnotations);
                            if (imagesOnly) json.Skip();
                            else ReadArray(ref json, ref ctx, Annotations, images, annotations, categories);
                        }
                        else if (json.ValueTextEquals("categories"u8))
                        {
                            Once(ref json, ref ctx, Categories, ref sawCategories);
                            ReadArray(ref json, ref ctx, Categories, images, annotations, categories);
                        }
                        else
                            json.Skip();
                    }
                    if (json.Read())
                        throw Fail(ref json, ref ctx, "unexpected content after the top-level object.");
                    if (!sawImages)
                        throw new CocoFormatException(Prefix(ref ctx) + " there is no 'images' array.", path);
                }
                catch (JsonException ex) when (json.DepthExceeded)
                {
                    long pos = json.ConsumedPosition;
                    throw new CocoFormatException(string.Format(CultureInfo.InvariantCulture, "{0} at byte {1}: {2}", Prefix(ref ctx), pos, JsonLimits.NestedTooDeepMessage),
                        path, pos, ctx.Index, ctx.Section, ex);
                }
                catch (JsonException ex)
                {
                    long pos = json.ConsumedPosition;
                    string hint = json.NearEndOfFile && json.CurrentDepth > 0 ? " (the file ends unexpectedly: truncated?)" : "";
                    string where = ctx.Section == null ? "" : " in " + ctx.Section + (ctx.Index >= 0 ? "[" + ctx.Index + "]" : "");
                    throw new CocoFormatException(string.Format(CultureInfo.InvariantCulture,
                        "{0} not valid JSON{1} near byte {2} (line {3}){4}: {5}",
                        Prefix(ref ctx), where, pos, (ex.LineNumber ?? 0) + 1, hint, ex.Message),
                        path, pos, ctx.Index, ctx.Section, ex);
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is FormatException || ex is ArgumentException)
                {
                    long pos = json.ConsumedPosition;
                    throw new CocoFormatException(string.Format(CultureInfo.InvariantCulture,
                        "{0} unreadable value near byte {1}: {2}", Prefix(ref ctx), pos, ex.Message),
                        path, pos, ctx.Index, ctx.Section, ex);
                }
            }
            return new CocoGroundTruth(images, annotations, categories, path) { HasMasks = ctx.Masks };
        }

        private static void ReadArray(ref JsonStreamReader json, ref Context ctx, string section,
            List<CocoImage> images, List<CocoAnnotation> annotations, List<CocoCategory> categories)
        {
            ctx.Section = section;
            ctx.Index = -1;
            Next(ref json, ref ctx);
            if (json.TokenType == JsonTokenType.Null)
            {
                ctx.Section = null;
                return;
            }
            if (json.TokenType != JsonTokenType.StartArray)
                throw Fail(ref json, ref ctx, "'" + section + "' must be an array; found " + Describe(json.TokenType) + ".");
            var imageIds = section == Images ? new Dictionary<object, int>() : null;
            var fileNames = section == Images ? new Dictionary<string, CocoImage>(StringComparer.Ordinal) : null;
            var categoryIds = section == Categories ? new HashSet<int>() : null;
            int index = 0;
            while (true)
            {
                ctx.Index = index;
                Next(ref json, ref ctx);
                if (json.TokenType == JsonTokenType.EndArray) break;
                if (json.TokenType != JsonTokenType.StartObject)
                    throw Fail(ref json, ref ctx, "expected an object; found " + Describe(json.TokenType) + ".");
                long start = json.TokenPosition;
                if (section == Images)
                {
                    var image = ReadImage(ref json, ref ctx, index);
                    if (imageIds.TryGetValue(image.Id, out int first))
                        throw Fail(ref ctx, start, "duplicate image id " + ImageIds.Describe(image.Id) + " (also images[" + first + "]).");
                    imageIds.Add(image.Id, index);
                    // Results name images by file name: two images with one name would make that name mean either.
                    if (image.FileName != null)
                    {
                        if (fileNames.TryGetValue(image.FileName, out var same))
                        {
                            throw Fail(ref ctx, start, "file_name " + ImageIds.Describe(image.FileName) + " is also the file_name of images[" + same.Index +
                                "] (id " + ImageIds.Describe(same.Id) + "); each image needs its own file name.");
                        }
                        fileNames.Add(image.FileName, image);
                    }
                    images.Add(image);
                }
                else if (section == Annotations)
                    annotations.Add(ReadAnnotation(ref json, ref ctx, index, start));
                else
                {
                    var category = ReadCategory(ref json, ref ctx, start);
                    if (!categoryIds.Add(category.Id))
                        throw Fail(ref ctx, start, "duplicate category id " + category.Id + ".");
                    categories.Add(category);
                }
                index++;
            }
            ctx.Section = null;
            ctx.Index = -1;
        }

        private static CocoImage ReadImage(ref JsonStreamReader json, ref Context ctx, int index)
        {
            long start = json.TokenPosition;
            object id = null;
            string fileName = null;
            double width = double.NaN, height = double.NaN;
            bool hasWidth = false, hasHeight = false;
            while (true)
            {
                Next(ref json, ref ctx);
                if (json.TokenType == JsonTokenType.EndObject) break;
                if (json.ValueTextEquals("id"u8)) { Next(ref json, ref ctx); id = ReadId(ref json, ref ctx, "id"); }
                else if (json.ValueTextEquals("file_name"u8))
                {
                    Next(ref json, ref ctx);
                    if (json.TokenType == JsonTokenType.String) fileName = json.GetString();
                    else if (json.TokenType != JsonTokenType.Null)
                        throw Fail(ref json, ref ctx, "'file_name' must be a string; found " + Describe(json.TokenType) + ".");
                }
                else if (json.ValueTextEquals("width"u8)) { Next(ref json, ref ctx); width = ReadNumber(ref json, ref ctx, "width"); hasWidth = true; }
                else if (json.ValueTextEquals("height"u8)) { Next(ref json, ref ctx); height = ReadNumber(ref json, ref ctx, "height"); hasHeight = true; }
                else json.Skip();
            }
            if (id == null) throw Fail(ref ctx, start, "the image has no 'id'.");
            if (!hasWidth) throw Fail(ref ctx, start, "image " + ImageIds.Describe(id) + " has no 'width'.");
            if (!hasHeight) throw Fail(ref ctx, start, "image " + ImageIds.Describe(id) + " has no 'height'.");
            if (!(width > 0) || double.IsInfinity(width))
                throw Fail(ref ctx, start, "image " + ImageIds.Describe(id) + " has width " + Num(width) + "; it must be a positive finite number.");
            if (!(height > 0) || double.IsInfinity(height))
                throw Fail(ref ctx, start, "image " + ImageIds.Describe(id) + " has height " + Num(height) + "; it must be a positive finite number.");
            return new CocoImage(id, fileName, width, height, index);
        }

        private static CocoAnnotation ReadAnnotation(ref JsonStreamReader json, ref Context ctx, int index, long start)
        {
            var ann = new CocoAnnotation();
            bool hasId = false, hasImage = false, hasCategory = false, hasBox = false, hasArea = false;
            while (true)
            {
                Next(ref json, ref ctx);
                if (json.TokenType == JsonTokenType.EndObject) break;
                if (json.ValueTextEquals("bbox"u8))
                {
                    Next(ref json, ref ctx);
                    if (json.TokenType != JsonTokenType.StartArray)
                        throw Fail(ref json, ref ctx, "'bbox' must be an array of 4 numbers [x, y, width, height]; found " + Describe(json.TokenType) + ".");
                    int n = 0;
                    double x = 0, y = 0, w = 0, h = 0;
                    while (true)
                    {
                        Next(ref json, ref ctx);
                        if (json.TokenType == JsonTokenType.EndArray) break;
                        if (json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out double v) || !Numbers.IsFinite(v))
                            throw Fail(ref json, ref ctx, "'bbox' must be an array of 4 finite numbers [x, y, width, height]; item " + n + " is " + Describe(json.TokenType) + ".");
                        switch (n) { case 0: x = v; break; case 1: y = v; break; case 2: w = v; break; case 3: h = v; break; }
                        n++;
                    }
                    if (n != 4)
                        throw Fail(ref ctx, start, "'bbox' has " + n + " numbers; it must have 4 [x, y, width, height].");
                    ann.X = x; ann.Y = y; ann.Width = w; ann.Height = h;
                    hasBox = true;
                }
                else if (json.ValueTextEquals("image_id"u8)) { Next(ref json, ref ctx); ann.ImageId = ReadId(ref json, ref ctx, "image_id"); hasImage = true; }
                else if (json.ValueTextEquals("category_id"u8))
                {
                    Next(ref json, ref ctx);
                    ann.CategoryId = ReadInt32(ref json, ref ctx, "category_id");
                    hasCategory = true;
                }
                else if (json.ValueTextEquals("id"u8))
                {
                    Next(ref json, ref ctx);
                    if (ReadId(ref json, ref ctx, "id") is long annId) ann.Id = annId;
                    else throw Fail(ref json, ref ctx, "the annotation 'id' must be an integer.");
                    hasId = true;
                }
                else if (json.ValueTextEquals("area"u8)) { Next(ref json, ref ctx); ann.Area = ReadNumber(ref json, ref ctx, "area"); hasArea = true; }
                else if (json.ValueTextEquals("iscrowd"u8)) { Next(ref json, ref ctx); ann.CrowdValue = ReadCrowd(ref json, ref ctx); }
                else if (json.ValueTextEquals("ignore"u8)) { Next(ref json, ref ctx); ann.Ignore = ReadFlag(ref json, ref ctx, "ignore"); }
                else if (ctx.Masks && json.ValueTextEquals("segmentation"u8)) { Next(ref json, ref ctx); ReadSegmentation(ref json, ref ctx, ann); }
                else json.Skip();
            }
            if (!hasImage) throw Fail(ref ctx, start, "the annotation has no 'image_id'.");
            if (!hasCategory) throw Fail(ref ctx, start, "the annotation has no 'category_id'.");
            if (!hasBox) throw Fail(ref ctx, start, "the annotation has no 'bbox'.");
            if (!hasId) { ann.Id = index + 1L; ann.IdAssigned = true; }
            if (!hasArea) ann.Area = ann.Width * ann.Height;
            return ann;
        }

        private static CocoCategory ReadCategory(ref JsonStreamReader json, ref Context ctx, long start)
        {
            int id = 0;
            bool hasId = false;
            string name = null, super = null;
            while (true)
            {
                Next(ref json, ref ctx);
                if (json.TokenType == JsonTokenType.EndObject) break;
                if (json.ValueTextEquals("id"u8))
                {
                    Next(ref json, ref ctx);
                    id = ReadInt32(ref json, ref ctx, "id");
                    hasId = true;
                }
                else if (json.ValueTextEquals("name"u8)) { Next(ref json, ref ctx); name = ReadOptionalString(ref json, ref ctx, "name"); }
                else if (json.ValueTextEquals("supercategory"u8)) { Next(ref json, ref ctx); super = ReadOptionalString(ref json, ref ctx, "supercategory"); }
                else json.Skip();
            }
            if (!hasId) throw Fail(ref ctx, start, "the category has no 'id'.");
            return new CocoCategory(id, name, super);
        }

        /// <summary>An id: an integer (as long) or a string.</summary>
        private static object ReadId(ref JsonStreamReader json, ref Context ctx, string name)
        {
            if (json.TokenType == JsonTokenType.String) return json.GetString();
            if (json.TokenType == JsonTokenType.Number)
            {
                if (json.TryGetInt64(out long n)) return n;
                if (json.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15) return (long)d;
            }
            throw Fail(ref json, ref ctx, "'" + name + "' must be an integer or a string; found " + Found(ref json) + ".");
        }

        /// <summary>A 32-bit integer; an integral float such as 3.0 is accepted (Python treats it as the same key).</summary>
        private static int ReadInt32(ref JsonStreamReader json, ref Context ctx, string name)
        {
            if (json.TokenType == JsonTokenType.Number)
            {
                if (json.TryGetInt32(out int n)) return n;
                if (json.TryGetDouble(out double d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
            }
            throw Fail(ref json, ref ctx, "'" + name + "' must be a 32-bit integer; found " + Found(ref json) + ".");
        }

        private static double ReadNumber(ref JsonStreamReader json, ref Context ctx, string name)
        {
            if (json.TokenType == JsonTokenType.Number && json.TryGetDouble(out double v)) return v;
            throw Fail(ref json, ref ctx, "'" + name + "' must be a number; found " + Describe(json.TokenType) + ".");
        }

        private static bool ReadFlag(ref JsonStreamReader json, ref Context ctx, string name)
        {
            switch (json.TokenType)
            {
                case JsonTokenType.True: return true;
                case JsonTokenType.False:
                case JsonTokenType.Null: return false;
                case JsonTokenType.Number when json.TryGetDouble(out double v): return v != 0;
            }
            throw Fail(ref json, ref ctx, "'" + name + "' must be 0, 1, true or false; found " + Describe(json.TokenType) + ".");
        }

        /// <summary>
        /// iscrowd as pycocotools uses it: any number (see CocoAnnotation.CrowdValue), true as 1, false and null as 0. Its
        /// integer part must fit pycocotools' 8-bit store (0 to 255): beyond that numpy wraps it or raises, by version.
        /// </summary>
        private static double ReadCrowd(ref JsonStreamReader json, ref Context ctx)
        {
            switch (json.TokenType)
            {
                case JsonTokenType.True: return 1;
                case JsonTokenType.False:
                case JsonTokenType.Null: return 0;
                case JsonTokenType.Number when json.TryGetDouble(out double v):
                    double whole = Math.Truncate(v);
                    if (whole >= 0 && whole <= 255) return v;
                    throw Fail(ref json, ref ctx, "'iscrowd' is " + Num(v) + "; it must be 0 (not a crowd) or a number from 0 to 255 (pycocotools stores it in 8 bits).");
            }
            throw Fail(ref json, ref ctx, "'iscrowd' must be 0, 1, true or false; found " + Describe(json.TokenType) + ".");
        }

        private static string ReadOptionalString(ref JsonStreamReader json, ref Context ctx, string name)
        {
            if (json.TokenType == JsonTokenType.String) return json.GetString();
            if (json.TokenType == JsonTokenType.Null) return null;
            throw Fail(ref json, ref ctx, "'" + name + "' must be a string; found " + Describe(json.TokenType) + ".");
        }

        /// <summary>A top-level section given twice: Python's json would keep the last silently, so which one was meant is unknown.</summary>
        private static void Once(ref JsonStreamReader json, ref Context ctx, string section, ref bool seen)
        {
            if (seen)
            {
                ctx.Section = section;
                ctx.Index = -1;
                throw Fail(ref json, ref ctx, "'" + section + "' appears twice in the top-level object; a COCO file has one.");
            }
            seen = true;
        }

        /// <summary>A number as written ("1.5"), else the kind of value.</summary>
        private static string Found(ref JsonStreamReader json) => json.TokenType == JsonTokenType.Number ? json.NumberText : Describe(json.TokenType);

        /// <summary>Reads the next token; the end of the data here means the file is truncated.</summary>
        private static void Next(ref JsonStreamReader json, ref Context ctx)
        {
            if (!json.Read())
                throw Fail(ref ctx, json.ConsumedPosition, "the file ends unexpectedly (truncated?).");
        }

        private static CocoFormatException Fail(ref JsonStreamReader json, ref Context ctx, string message) =>
            Fail(ref ctx, json.TokenPosition, message);

        private static CocoFormatException Fail(ref Context ctx, long position, string message)
        {
            string record = ctx.Section == null ? "" : " " + ctx.Section + (ctx.Index >= 0 ? "[" + ctx.Index + "]" : "");
            return new CocoFormatException(string.Format(CultureInfo.InvariantCulture,
                "{0}{1} at byte {2}: {3}", Prefix(ref ctx), record, position, message),
                ctx.Path, position, ctx.Section == null ? -1 : ctx.Index, ctx.Section);
        }

        private static string Prefix(ref Context ctx) => "Invalid COCO file '" + ctx.Path + "':";

        private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

        // The results reader's words for a token ("a list", "an object"), so both files' messages read alike.
        private static string Describe(JsonTokenType type) => RecordParser.TypeName(type);
    }
}
