using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>Builds a detection from any object's properties (CSV rows, deserialized detections, hashtables).</summary>
    internal static class DetectionConversion
    {
        /// <summary>Throws ArgumentException naming the missing or bad property.</summary>
        public static Detection FromProperties(PSObject source, string defaultModel = null)
        {
            if (source.BaseObject is Detection d) return d;
            var dict = source.BaseObject as IDictionary;
            object Get(params string[] names)
            {
                foreach (var name in names)
                {
                    if (dict != null)
                    {
                        foreach (DictionaryEntry e in dict) if (string.Equals(e.Key as string, name, StringComparison.OrdinalIgnoreCase)) return Unwrap(e.Value);
                        continue;
                    }
                    var p = source.Properties[name];
                    if (p != null) return Unwrap(p.Value);
                }
                return null;
            }
            var result = new Detection();
            var imageId = Get("ImageId", "image_id") ?? throw new ArgumentException("it has no ImageId (or image_id) property");
            result.ImageId = ImageIdFromText(imageId);
            result.CategoryId = Number<int>(Get("CategoryId", "category_id"), "CategoryId");
            result.Score = Number<double>(Get("Score", "score"), "Score");
            var bbox = Get("bbox");
            if (Get("X1") != null)
            {
                double x1 = Number<double>(Get("X1"), "X1"), y1 = Number<double>(Get("Y1"), "Y1");
                double x2 = Number<double>(Get("X2"), "X2"), y2 = Number<double>(Get("Y2"), "Y2");
                result.X = x1; result.Y = y1; result.Width = x2 - x1; result.Height = y2 - y1;
            }
            else if (Get("X") != null)
            {
                result.X = Number<double>(Get("X"), "X");
                result.Y = Number<double>(Get("Y"), "Y");
                result.Width = Number<double>(Get("Width"), "Width");
                result.Height = Number<double>(Get("Height"), "Height");
            }
            else if (bbox is IEnumerable list && !(bbox is string))
            {
                var values = list.Cast<object>().Select(v => Number<double>(Unwrap(v), "bbox")).ToArray();
                if (values.Length != 4) throw new ArgumentException("its bbox has " + values.Length + " values, not 4");
                result.X = values[0]; result.Y = values[1]; result.Width = values[2]; result.Height = values[3];
            }
            else throw new ArgumentException("it has no box: give X, Y, Width, Height or X1, Y1, X2, Y2 (or bbox)");
            result.Model = Get("Model", "model") as string ?? defaultModel;
            result.Mask = MaskFrom(dict != null ? null : source.Properties["Mask"]?.Value);
            var merged = Get("MergedCount");
            if (merged != null) result.MergedCount = Number<int>(merged, "MergedCount");
            if (Get("SourceModels") is IEnumerable sources && !(Get("SourceModels") is string))
                result.SourceModels = sources.Cast<object>().Select(s => Convert.ToString(Unwrap(s), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return result;
        }

        /// <summary>
        /// A mask as it was, or rebuilt from a deserialized one (Export-Clixml, remoting), which carries its size and
        /// compressed counts; a deserialized polygon mask has no counts and cannot be rebuilt: say so, never drop it.
        /// </summary>
        private static Mask MaskFrom(object value)
        {
            if (value == null) return null;
            if (value is PSObject wrapped && wrapped.BaseObject is Mask inner) return inner;
            if (value is Mask mask) return mask;
            var p = PSObject.AsPSObject(value);
            var counts = Unwrap(p.Properties["CompressedCounts"]?.Value) as string;
            if (counts == null) throw new ArgumentException("its Mask cannot be rebuilt (only run-length masks carry their counts through serialization)");
            try
            {
                return Mask.FromString(Number<int>(Unwrap(p.Properties["Height"]?.Value), "Mask.Height"), Number<int>(Unwrap(p.Properties["Width"]?.Value), "Mask.Width"), counts);
            }
            catch (MaskFormatException e)
            {
                throw new ArgumentException("its Mask is not valid: " + e.Message);
            }
        }

        /// <summary>
        /// CSV cells are text: "42" meant the COCO id 42, while "42.jpg" or "007" stay text. Other values pass unchanged.
        /// </summary>
        public static object ImageIdFromText(object id)
        {
            if (id is string s && s.Length > 0 && s.Length < 19 && (s == "0" || s[0] != '0')
                && long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
                return n;
            return id;
        }

        private static object Unwrap(object value) => value is PSObject p ? p.BaseObject : value;

        private static T Number<T>(object value, string name)
        {
            if (value == null) throw new ArgumentException("it has no " + name + " property");
            try
            {
                if (value is string s) value = s.Trim();
                return (T)LanguagePrimitives.ConvertTo(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException)
            {
                throw new ArgumentException(name + " '" + value + "' is not a number");
            }
        }
    }

    /// <summary>Rehydrates deserialized detections (Import-Clixml, remoting) into BoxFusion.Detection.</summary>
    public sealed class DetectionTypeConverter : PSTypeConverter
    {
        public override bool CanConvertFrom(object sourceValue, Type destinationType) => destinationType == typeof(Detection);

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            try
            {
                return DetectionConversion.FromProperties(PSObject.AsPSObject(sourceValue));
            }
            catch (ArgumentException e)
            {
                throw new PSInvalidCastException("Cannot convert to BoxFusion.Detection: " + e.Message, e);
            }
        }

        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new NotSupportedException();
    }
}
