using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using BoxFusion.Coco;

namespace BoxFusion.Commands
{
    /// <summary>
    /// -ImageInfo given as objects rather than a file: the 'images' records (objects or hashtables with id, width,
    /// height and optionally file_name), one record alone, or an object or hashtable holding them under 'images'.
    /// Every record is checked as a file's would be; the first bad one is a terminating ImageInfoInvalid naming it.
    /// </summary>
    internal static class ImageRecords
    {
        public static CocoGroundTruth Convert(PSCmdlet cmdlet, object value, string parameter)
        {
            var images = new List<CocoImage>();
            var firstIndexById = new Dictionary<object, int>();
            foreach (var item in Records(value))
            {
                object record = Unwrap(item);
                int index = images.Count;
                object id = Unwrap(Field(record, "id"));
                if (id == null) Fail(cmdlet, parameter, record, "image record " + index + " has no 'id'");
                try
                {
                    id = ImageIds.Normalize(id);
                }
                catch (ArgumentException)
                {
                    Fail(cmdlet, parameter, record, string.Format(CultureInfo.InvariantCulture,
                        "image record {0} has id {1} ({2}); an image id must be an integer or a string", index, id, id.GetType().Name));
                }
                string name = "image record " + index + " (id " + ImageIds.Describe(id) + ")";
                double width = Size(cmdlet, parameter, record, name, "width");
                double height = Size(cmdlet, parameter, record, name, "height");
                string bad = CocoImage.SizeProblem(width, height);
                if (bad != null) Fail(cmdlet, parameter, record, name + " has " + bad);
                if (firstIndexById.TryGetValue(id, out int first))
                    Fail(cmdlet, parameter, record, name + " has the same id as image record " + first + "; image ids must be unique");
                firstIndexById.Add(id, index);
                images.Add(new CocoImage(id, Unwrap(Field(record, "file_name")) as string, width, height, index));
            }
            return new CocoGroundTruth(images, Array.Empty<CocoAnnotation>(), Array.Empty<CocoCategory>());
        }

        /// <summary>The records: the 'images' list of a holder, else the list given, else the one record given.</summary>
        private static IEnumerable Records(object value)
        {
            object unwrapped = Unwrap(value);
            object held = Unwrap(Field(unwrapped, "images"));
            if (held != null) return held is IEnumerable list && !(held is string) && !(held is IDictionary) ? list : new[] { held };
            if (unwrapped is IDictionary || unwrapped is string || !(unwrapped is IEnumerable)) return new[] { value };
            return (IEnumerable)unwrapped;
        }

        /// <summary>A property of an object or a key of a hashtable (exact, else ignoring case), or null.</summary>
        private static object Field(object record, string name)
        {
            if (record is IDictionary map)
            {
                if (map.Contains(name)) return map[name];
                foreach (DictionaryEntry e in map)
                    if (e.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return e.Value;
                return null;
            }
            if (record == null || record is string || record is IEnumerable) return null;
            return PSObject.AsPSObject(record).Properties[name]?.Value;
        }

        private static double Size(PSCmdlet cmdlet, string parameter, object record, string name, string field)
        {
            object value = Unwrap(Field(record, field));
            if (value == null) Fail(cmdlet, parameter, record, name + " has no '" + field + "'");
            if (value is string text) value = text.Trim();
            if (value is bool || (value is string s && s.Length == 0))
                Fail(cmdlet, parameter, record, name + ": " + field + " '" + value + "' is not a number");
            try
            {
                return (double)LanguagePrimitives.ConvertTo(value, typeof(double), CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException)
            {
                Fail(cmdlet, parameter, record, name + ": " + field + " '" + value + "' is not a number");
                return double.NaN;
            }
        }

        private static object Unwrap(object value) => value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;

        private static void Fail(PSCmdlet cmdlet, string parameter, object record, string message)
        {
            cmdlet.ThrowTerminatingError(Errors.Create(parameter + "Invalid", ErrorCategory.InvalidArgument, record,
                "-" + parameter + ": " + message + ". Give a COCO annotations file or its 'images' records (id, width, height, file_name)."));
        }
    }
}
