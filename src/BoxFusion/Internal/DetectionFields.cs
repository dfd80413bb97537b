using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>The parts of a detection an input object can hold, each under several column names.</summary>
    internal enum DetectionField { ImageId, CategoryId, Score, X, Y, Width, Height, X1, Y1, X2, Y2, Model, MergedCount, SourceModels, Bbox }

    /// <summary>Why an input could not become a detection: an ErrorId and a message that names the column and the value.</summary>
    internal sealed class DetectionProblem
    {
        public DetectionProblem(string errorId, string message, object imageId = null)
        {
            ErrorId = errorId;
            Message = message;
            ImageId = imageId;
        }

        public string ErrorId { get; }
        public string Message { get; }

        /// <summary>The input's image id when it was read before the problem, for the message; otherwise null.</summary>
        public object ImageId { get; }
    }

    /// <summary>
    /// Reads a detection from any object's properties (CSV rows, custom objects, hashtables, deserialized detections),
    /// under BoxFusion's names and the common names of other tools (image_id, filename, label, class, confidence,
    /// xmin, ...). Numbers are read with the invariant culture only: "0,85" is an error, not 85. Two columns for one
    /// field, or a box given two ways, must agree.
    /// </summary>
    internal static class DetectionFields
    {
        /// <summary>Corner and size columns may differ by rounding; anything larger is a different box.</summary>
        public const double BoxTolerance = 0.01;

        private static readonly Dictionary<string, DetectionField> Columns = new Dictionary<string, DetectionField>(StringComparer.OrdinalIgnoreCase)
        {
            ["ImageId"] = DetectionField.ImageId, ["image_id"] = DetectionField.ImageId, ["Image"] = DetectionField.ImageId,
            ["FileName"] = DetectionField.ImageId, ["file_name"] = DetectionField.ImageId,
            ["CategoryId"] = DetectionField.CategoryId, ["category_id"] = DetectionField.CategoryId, ["Category"] = DetectionField.CategoryId,
            ["Class"] = DetectionField.CategoryId, ["Label"] = DetectionField.CategoryId,
            ["Score"] = DetectionField.Score, ["Confidence"] = DetectionField.Score, ["Conf"] = DetectionField.Score,
            ["X"] = DetectionField.X, ["Y"] = DetectionField.Y,
            ["Width"] = DetectionField.Width, ["W"] = DetectionField.Width, ["Height"] = DetectionField.Height, ["H"] = DetectionField.Height,
            ["X1"] = DetectionField.X1, ["XMin"] = DetectionField.X1, ["Left"] = DetectionField.X1,
            ["Y1"] = DetectionField.Y1, ["YMin"] = DetectionField.Y1, ["Top"] = DetectionField.Y1,
            ["X2"] = DetectionField.X2, ["XMax"] = DetectionField.X2, ["Right"] = DetectionField.X2,
            ["Y2"] = DetectionField.Y2, ["YMax"] = DetectionField.Y2, ["Bottom"] = DetectionField.Y2,
            ["Model"] = DetectionField.Model,
            ["MergedCount"] = DetectionField.MergedCount,
            ["SourceModels"] = DetectionField.SourceModels,
            ["bbox"] = DetectionField.Bbox,
        };

        /// <summary>
        /// Builds a detection from <paramref name="source"/>'s properties; a field in <paramref name="given"/> (from a
        /// parameter) takes the place of that field's columns. Returns null and sets <paramref name="problem"/> when the input is bad.
        /// </summary>
        /// <param name="checkRules">
        /// Apply the engine's rule for a valid detection (finite, not negative, within the bound) here. The pipeline
        /// conversion passes false: the consuming cmdlet refuses such detections itself, naming the input.
        /// </param>
        public static Detection Read(object source, IDictionary<DetectionField, object> given, string defaultModel, out DetectionProblem problem, bool checkRules = true)
        {
            var values = new Dictionary<DetectionField, List<(string Column, object Value)>>();
            foreach (var (column, value) in Properties(source))
            {
                if (!Columns.TryGetValue(column, out var field) || given != null && given.ContainsKey(field) || IsBlank(value)) continue;
                if (!values.TryGetValue(field, out var list)) values.Add(field, list = new List<(string, object)>());
                list.Add((column, value));
            }
            if (given != null)
            {
                foreach (var pair in given) values[pair.Key] = new List<(string, object)> { ("-" + pair.Key, Unwrap(pair.Value)) };
            }
            var reader = new FieldReader(values, checkRules);
            var detection = reader.Build(defaultModel);
            problem = reader.Problem;
            // An instance mask travels with its detection's other columns (a masked detection through Select-Object,
            // or deserialized from Export-Clixml and remoting).
            if (detection != null && problem == null)
            {
                var mask = MaskOf(source, out string maskProblem);
                if (maskProblem != null) problem = new DetectionProblem("InvalidMask", maskProblem, detection.ImageId);
                else if (mask != null) detection.Mask = mask;
            }
            return problem == null ? detection : null;
        }

        /// <summary>
        /// The Mask property as a mask: as it is, or rebuilt from a deserialized one, which keeps its size and compressed
        /// counts. A deserialized polygon mask keeps no points: a problem, never a silent loss. Anything else is no mask.
        /// </summary>
        private static Mask MaskOf(object source, out string problem)
        {
            problem = null;
            if (source == null) return null;
            var pso = source as PSObject;
            object value = (pso?.BaseObject ?? source) is IDictionary dictionary ? dictionary["Mask"] : (pso ?? PSObject.AsPSObject(source)).Properties["Mask"]?.Value;
            if (value == null || Unwrap(value) is string) return null;
            if (Unwrap(value) is Mask mask) return mask;
            var fields = PSObject.AsPSObject(value).Properties;
            if (Unwrap(fields["CompressedCounts"]?.Value) is string counts)
            {
                try
                {
                    return Mask.FromString(Convert.ToInt32(Unwrap(fields["Height"]?.Value), CultureInfo.InvariantCulture),
                        Convert.ToInt32(Unwrap(fields["Width"]?.Value), CultureInfo.InvariantCulture), counts);
                }
                catch (Exception e) when (e is MaskFormatException || e is FormatException || e is InvalidCastException || e is OverflowException)
                {
                    problem = "its Mask cannot be rebuilt: " + e.Message;
                    return null;
                }
            }
            if (Unwrap(fields["IsPolygon"]?.Value) is bool polygon && polygon)
                problem = "its Mask held polygons, which do not survive serialization (rasterise them first, or keep the detections in memory)";
            return null;
        }

        private static IEnumerable<(string Column, object Value)> Properties(object source)
        {
            if (source == null) yield break;
            var pso = source as PSObject;
            if ((pso?.BaseObject ?? source) is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary) if (entry.Key is string key) yield return (key, Unwrap(entry.Value));
                yield break;
            }
            foreach (var property in (pso ?? PSObject.AsPSObject(source)).Properties)
            {
                if (!Columns.ContainsKey(property.Name)) continue;
                object value;
                try { value = property.Value; }
                catch (GetValueException) { continue; }
                yield return (property.Name, Unwrap(value));
            }
        }

        private static bool IsBlank(object value) => value == null || value is string s && s.Trim().Length == 0;

        internal static object Unwrap(object value) => value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;

        /// <summary>Reads numbers written in the invariant culture, and numbers already typed; null for anything else.</summary>
        public static double? Number(object value)
        {
            switch (Unwrap(value))
            {
                case string s:
                    return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : (double?)null;
                case double d: return d;
                case float f: return f;
                case decimal m: return (double)m;
                case long l: return l;
                case int i: return i;
                case short sh: return sh;
                case byte b: return b;
                case sbyte sb: return sb;
                case uint ui: return ui;
                case ulong ul: return ul;
                case ushort us: return us;
                default: return null;
            }
        }

        public static string NumberHint =>
            "numbers are read in the invariant culture: a dot for decimals and no thousands separator (0.85, 1234.5)";

        /// <summary>The per-input state of one read: the values found, and the first problem.</summary>
        private sealed class FieldReader
        {
            private readonly Dictionary<DetectionField, List<(string Column, object Value)>> values;

            private readonly bool checkRules;
            private object knownImageId;

            public FieldReader(Dictionary<DetectionField, List<(string Column, object Value)>> values, bool checkRules)
            {
                this.values = values;
                this.checkRules = checkRules;
            }

            public DetectionProblem Problem { get; private set; }

            private bool Has(DetectionField field) => values.ContainsKey(field);

            private void Fail(string errorId, string message)
            {
                if (Problem == null) Problem = new DetectionProblem(errorId, message, knownImageId);
            }

            public Detection Build(string defaultModel)
            {
                var detection = new Detection();
                object imageId = One(DetectionField.ImageId, v => DetectionConversion.ImageIdFromText(v), (a, b) => Equals(a, b));
                if (Problem != null) return null;
                if (imageId == null) { Fail("MissingImageId", "it has no image id (a column ImageId, image_id, Image or FileName)"); return null; }
                try { detection.ImageId = imageId; }
                catch (ArgumentException e) { Fail("InvalidDetection", e.Message.TrimEnd('.')); return null; }
                knownImageId = imageId;
                double? category = Numeric(DetectionField.CategoryId, integer: true);
                double? score = Numeric(DetectionField.Score, integer: false);
                if (Problem != null) return null;
                if (category == null) { Fail("MissingCategoryId", "it has no category id (a column CategoryId, category_id, Category, Class or Label)"); return null; }
                if (score == null) { Fail("MissingScore", "it has no score (a column Score, Confidence or Conf)"); return null; }
                detection.CategoryId = (int)category.Value;
                detection.Score = score.Value;
                if (!Box(detection)) return null;
                string model = One(DetectionField.Model, v => Convert.ToString(v, CultureInfo.InvariantCulture), (a, b) => string.Equals((string)a, (string)b, StringComparison.OrdinalIgnoreCase)) as string;
                detection.Model = string.IsNullOrEmpty(model) ? defaultModel : model;
                double? merged = Numeric(DetectionField.MergedCount, integer: true);
                if (merged != null) detection.MergedCount = (int)merged.Value;
                var sources = One(DetectionField.SourceModels, SourceList, (a, b) => ((string[])a).SequenceEqual((string[])b));
                if (sources != null) detection.SourceModels = (string[])sources;
                return Problem == null ? detection : null;
            }

            /// <summary>The field's value; when several columns hold it, they must agree.</summary>
            private object One(DetectionField field, Func<object, object> convert, Func<object, object, bool> same)
            {
                if (!values.TryGetValue(field, out var found)) return null;
                object first = convert(found[0].Value);
                for (int i = 1; i < found.Count; i++)
                {
                    if (same(first, convert(found[i].Value))) continue;
                    Fail("ConflictingColumns", string.Format(CultureInfo.InvariantCulture,
                        "columns {0} ({1}) and {2} ({3}) both give the {4} and disagree; keep one of them (Select-Object -ExcludeProperty)",
                        found[0].Column, Describe(found[0].Value), found[i].Column, Describe(found[i].Value), field));
                    return null;
                }
                return first;
            }

            private double? Numeric(DetectionField field, bool integer)
            {
                if (!values.TryGetValue(field, out var found)) return null;
                double? first = null;
                string firstColumn = null;
                foreach (var (column, value) in found)
                {
                    double? number = Number(value);
                    if (number == null || integer && !double.IsNaN(number.Value) && (number.Value != Math.Floor(number.Value) || Math.Abs(number.Value) > int.MaxValue))
                    {
                        Fail("InvalidNumber", string.Format(CultureInfo.InvariantCulture, "{0} {1} is '{2}', which is not {3}; {4}",
                            column.StartsWith("-", StringComparison.Ordinal) ? "parameter" : "column", column, value,
                            integer ? "a whole number" : "a number", integer && number == null && value is string ? "give the category's numeric id (as in the ground truth)" : NumberHint));
                        return null;
                    }
                    if (first == null) { first = number; firstColumn = column; continue; }
                    if (number.Value != first.Value && !(double.IsNaN(number.Value) && double.IsNaN(first.Value)))
                    {
                        Fail("ConflictingColumns", string.Format(CultureInfo.InvariantCulture,
                            "columns {0} ({1}) and {2} ({3}) both give the {4} and disagree; keep one of them (Select-Object -ExcludeProperty)",
                            firstColumn, first.Value, column, number.Value, field));
                        return null;
                    }
                }
                if (integer && first.HasValue && double.IsNaN(first.Value))
                {
                    Fail("InvalidNumber", "column " + firstColumn + " is NaN, which is not a whole number");
                    return null;
                }
                return first;
            }

            /// <summary>X, Y, Width, Height or X1, Y1, X2, Y2 (corners win when both are complete); what else is given must agree.</summary>
            private bool Box(Detection detection)
            {
                if (Has(DetectionField.Bbox) && !SplitBbox()) return false;
                var v = new Dictionary<DetectionField, double>();
                foreach (var field in new[] { DetectionField.X, DetectionField.Y, DetectionField.Width, DetectionField.Height, DetectionField.X1, DetectionField.Y1, DetectionField.X2, DetectionField.Y2 })
                {
                    double? number = Numeric(field, integer: false);
                    if (Problem != null) return false;
                    if (number.HasValue) v[field] = number.Value;
                }
                bool corners = v.ContainsKey(DetectionField.X1) && v.ContainsKey(DetectionField.Y1) && v.ContainsKey(DetectionField.X2) && v.ContainsKey(DetectionField.Y2);
                bool sized = v.ContainsKey(DetectionField.X) && v.ContainsKey(DetectionField.Y) && v.ContainsKey(DetectionField.Width) && v.ContainsKey(DetectionField.Height);
                if (!corners && !sized)
                {
                    Fail("IncompleteBox", "give the box as X, Y, Width, Height or as X1, Y1, X2, Y2 (or xmin, ymin, xmax, ymax)");
                    return false;
                }
                double x, y, w, h;
                if (corners) { x = v[DetectionField.X1]; y = v[DetectionField.Y1]; w = v[DetectionField.X2] - x; h = v[DetectionField.Y2] - y; }
                else { x = v[DetectionField.X]; y = v[DetectionField.Y]; w = v[DetectionField.Width]; h = v[DetectionField.Height]; }
                // The engine's rule first: with a NaN, an infinity or a number beyond the bound, "disagreeing" columns
                // would only be the arithmetic of those values, and the user needs to hear about the value itself.
                string invalid = DetectionRules.Problem(detection.Score, x, y, w, h, out _);
                if (invalid != null && checkRules)
                {
                    Fail("InvalidDetection", corners
                        ? invalid.TrimEnd('.') + " (the box from " + string.Join(", ", new[] { DetectionField.X1, DetectionField.Y1, DetectionField.X2, DetectionField.Y2 }.Select(f => f + " " + Describe(v[f]))) + ")"
                        : invalid.TrimEnd('.'));
                    return false;
                }
                if (invalid != null)
                {
                    detection.X = x; detection.Y = y; detection.Width = w; detection.Height = h;
                    return true;
                }
                var implied = new Dictionary<DetectionField, double>
                {
                    [DetectionField.X] = x, [DetectionField.Y] = y, [DetectionField.Width] = w, [DetectionField.Height] = h,
                    [DetectionField.X1] = x, [DetectionField.Y1] = y, [DetectionField.X2] = x + w, [DetectionField.Y2] = y + h,
                };
                foreach (var pair in v)
                {
                    if (Math.Abs(pair.Value - implied[pair.Key]) <= BoxTolerance || double.IsNaN(pair.Value) && double.IsNaN(implied[pair.Key])) continue;
                    Fail("ConflictingBox", string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} is {2}, but {3} makes it {4}; give the box one way (X, Y, Width, Height or X1, Y1, X2, Y2), or values that agree",
                        values[pair.Key][0].Column.StartsWith("-", StringComparison.Ordinal) ? "parameter" : "column", values[pair.Key][0].Column,
                        pair.Value, corners ? Describe(DetectionField.X1, DetectionField.Y1, DetectionField.X2, DetectionField.Y2) : Describe(DetectionField.X, DetectionField.Y, DetectionField.Width, DetectionField.Height),
                        implied[pair.Key]));
                    return false;
                }
                detection.X = x; detection.Y = y; detection.Width = w; detection.Height = h;
                return true;
            }

            private string Describe(params DetectionField[] fields) =>
                string.Join(", ", fields.Select(f => values[f][0].Column + " " + Describe(values[f][0].Value)));

            private static string Describe(object value) => Convert.ToString(value, CultureInfo.InvariantCulture);

            /// <summary>A COCO-style bbox list [x, y, width, height] counts as those four columns.</summary>
            private bool SplitBbox()
            {
                var (column, value) = values[DetectionField.Bbox][0];
                var items = value is IEnumerable list && !(value is string) ? list.Cast<object>().Select(Unwrap).ToArray() : null;
                if (items == null || items.Length != 4)
                {
                    Fail("InvalidBox", string.Format(CultureInfo.InvariantCulture, "column {0} must hold 4 numbers [x, y, width, height]; it holds {1}",
                        column, items == null ? "'" + value + "'" : items.Length + " values"));
                    return false;
                }
                var fields = new[] { DetectionField.X, DetectionField.Y, DetectionField.Width, DetectionField.Height };
                for (int i = 0; i < 4; i++)
                {
                    if (!values.TryGetValue(fields[i], out var found)) values.Add(fields[i], found = new List<(string, object)>());
                    found.Add((column + "[" + i + "]", items[i]));
                }
                return true;
            }

            private static object SourceList(object value)
            {
                if (value is string text) return text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
                if (value is IEnumerable list) return list.Cast<object>().Select(s => Convert.ToString(Unwrap(s), CultureInfo.InvariantCulture)).ToArray();
                return new[] { Convert.ToString(value, CultureInfo.InvariantCulture) };
            }
        }
    }
}
