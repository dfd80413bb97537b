# Help for New-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Creates detections from parameters, or from the properties of any objects such as CSV rows.'

    Description = @'
New-Detection builds BoxFusion.Detection objects for detectors whose output is not a COCO results file: CSV exports, tables from a database, objects made in a script. Every parameter also binds by property name from pipeline input, so rows of Import-Csv or custom objects with the right property names (or their aliases: image_id, category_id, Confidence, XMin, Left, ...) turn into detections directly.

Give the box either as X, Y, Width, Height (COCO style: the top-left corner and the size, in pixels) or as the corners X1, Y1, X2, Y2; when all four corners are given they win. An input without a complete box is reported (error IncompleteBox) and skipped; so is one with a negative score, a negative width or height, a non-finite number, or a score, coordinate or size beyond 1e9 (error InvalidDetection; 1e9 px is far beyond any image, and keeps fusion's sums finite). Errors name the input's position (counting from 0) and its image.

An image id that arrives as text made of digits ("42", as every CSV cell is text) becomes the number 42, so it matches the numeric ids of a COCO file; text with a leading zero or anything else ("0042", "42.jpg") stays text.
'@

    Parameters  = @{
        ImageId    = @{
            Description = 'The image the detection belongs to: a whole number (a COCO image id) or a string such as a file name. Digit-only text without a leading zero becomes a number.'
            Default     = 'None'
        }
        CategoryId = @{
            Description = 'The category (class) id, as in the ground truth''s categories.'
            Default     = 'None'
        }
        Score      = @{
            Description = 'The confidence of the detection, normally between 0 and 1. Negative scores are rejected.'
            Default     = 'None'
        }
        X          = @{
            Description = 'The left edge of the box, in pixels. Give it with -Y, -Width and -Height.'
            Default     = 'None'
        }
        Y          = @{
            Description = 'The top edge of the box, in pixels. Give it with -X, -Width and -Height.'
            Default     = 'None'
        }
        Width      = @{
            Description = 'The width of the box, in pixels; 0 or more.'
            Default     = 'None'
        }
        Height     = @{
            Description = 'The height of the box, in pixels; 0 or more.'
            Default     = 'None'
        }
        X1         = @{
            Description = 'The left edge of the box (x_min), in pixels. Give it with -Y1, -X2 and -Y2 instead of -X, -Y, -Width, -Height.'
            Default     = 'None'
        }
        Y1         = @{
            Description = 'The top edge of the box (y_min), in pixels.'
            Default     = 'None'
        }
        X2         = @{
            Description = 'The right edge of the box (x_max), in pixels; not less than -X1.'
            Default     = 'None'
        }
        Y2         = @{
            Description = 'The bottom edge of the box (y_max), in pixels; not less than -Y1.'
            Default     = 'None'
        }
        Model      = @{
            Description = 'The name of the model the detection came from. Merge-Detection treats detections with different model names as different models (for -Weight, -MinVotes and the WBF score), so give each detector''s detections their own name.'
            Default     = 'model'
        }
    }

    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with properties named like the parameters or their aliases (ImageId or image_id, CategoryId or category_id, Score or Confidence, X/Y/Width/Height or X1/Y1/X2/Y2, Model).' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'One detection per valid input.' }
    )

    Notes       = @'
Detections need no conversion when they come back from Export-Clixml / Import-Clixml or from remoting: they become BoxFusion.Detection objects again by themselves. New-Detection is for other shapes of data.

The alias New-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Create one detection'
            Code    = @'
New-Detection -ImageId 42 -CategoryId 1 -Score 0.91 -X 10 -Y 20 -Width 100 -Height 50 -Model manual
'@
            Remarks = @'
ImageId, CategoryId and Score are also positional: New-Detection 42 1 0.91 -X 10 -Y 20 -Width 100 -Height 50 does the same. The result:

    ImageId Category   Score        X        Y    Width   Height Model
    ------- --------   -----        -        -    -----   ------ -----
         42        1  0.9100     10.0     20.0    100.0     50.0 manual
'@
        }
        @{
            Title   = 'Turn a CSV export with corner coordinates into detections and fuse them'
            Code    = @"
@'
image_id,class,confidence,xmin,ymin,xmax,ymax,model
7,1,0.8,0,0,10,10,a
7,1,0.4,2,0,12,10,b
8.jpg,2,0.4,5,5,20,20,a
'@ | ConvertFrom-Csv | New-Detection | Merge-Detection
"@
            Remarks = 'The column names bind through the parameters'' aliases (image_id, class, confidence, xmin, ...). Image id "7" becomes the number 7 and "8.jpg" stays a string. Merge-Detection fuses the two boxes of image 7 (models a and b) into one; Import-Csv works the same way on a file.'
        }
        @{
            Title   = 'Convert the output of another tool'
            Code    = @'
$predictions | ForEach-Object {
    [pscustomobject]@{ ImageId = $_.file; CategoryId = $_.label + 1; Score = $_.prob; X1 = $_.box[0]; Y1 = $_.box[1]; X2 = $_.box[2]; Y2 = $_.box[3] }
} | New-Detection -Model detr
'@
            Remarks = 'Reshape the objects into properties New-Detection knows, and name the model once with -Model. Here the tool counts labels from 0 and the ground truth from 1.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Import-Detection'
        'Merge-Detection'
    )
}
