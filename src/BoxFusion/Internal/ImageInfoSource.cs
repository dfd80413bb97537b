using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using BoxFusion.Coco;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Resolves -ImageInfo / -GroundTruth: a COCO annotations file (path or FileInfo), a loaded
    /// ground truth, an object read from such a file (with an 'images' list), or the image records themselves.
    /// </summary>
    internal static class ImageInfoSource
    {
        /// <param name="needsAnnotations">The caller scores against the boxes (-GroundTruth): only a file or a loaded ground truth will do.</param>
        /// <param name="masks">Also read the annotations' segmentations (mask evaluation).</param>
        public static CocoGroundTruth Resolve(PSCmdlet cmdlet, object value, string parameter, bool imagesOnly, bool needsAnnotations = false, bool masks = false)
        {
            if (value is PSObject ps && !(ps.BaseObject is PSCustomObject)) value = ps.BaseObject;
            if (value is CocoGroundTruth gt) return gt;
            if (value is FileInfo file) return Load(cmdlet, file.FullName, parameter, imagesOnly, masks);
            if (value is string path) return Load(cmdlet, PathResolver.ResolveForWriting(cmdlet, path), parameter, imagesOnly, masks);
            if (needsAnnotations)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "NotAFile", ErrorCategory.InvalidArgument, value,
                    "-" + parameter + " needs the annotations: give the path of the COCO annotations file (e.g. val.json), not objects read from it."));
            }
            var images = new List<CocoImage>();
            var pso = PSObject.AsPSObject(value);
            var imagesProperty = pso.Properties["images"];
            IEnumerable records = imagesProperty != null ? imagesProperty.Value as IEnumerable : value as IEnumerable;
            if (records == null) records = new[] { value };
            foreach (var record in records)
            {
                var r = PSObject.AsPSObject(record);
                object id = r.Properties["id"]?.Value;
                object width = r.Properties["width"]?.Value;
                object height = r.Properties["height"]?.Value;
                if (id == null || width == null || height == null)
                {
                    throw new ParameterBindingException("-" + parameter + ": image record " + images.Count + " lacks id, width or height; give a COCO annotations file or its 'images' records.");
                }
                if (id is PSObject idp) id = idp.BaseObject;
                images.Add(new CocoImage(ImageIds.Normalize(id), r.Properties["file_name"]?.Value as string,
                    LanguagePrimitives.ConvertTo<double>(width), LanguagePrimitives.ConvertTo<double>(height), images.Count));
            }
            return new CocoGroundTruth(images, Array.Empty<CocoAnnotation>(), Array.Empty<CocoCategory>());
        }

        private static CocoGroundTruth Load(PSCmdlet cmdlet, string path, string parameter, bool imagesOnly, bool masks)
        {
            if (!File.Exists(path))
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "NotFound", ErrorCategory.ObjectNotFound, path,
                    "-" + parameter + ": cannot find the file '" + path + "'."));
            }
            try
            {
                return imagesOnly ? CocoGroundTruth.LoadImagesOnly(path) : CocoGroundTruth.Load(path, masks);
            }
            catch (CocoFormatException e)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "Invalid", ErrorCategory.InvalidData, path, "-" + parameter + ": " + e.Message, e));
                return null;
            }
        }
    }
}
