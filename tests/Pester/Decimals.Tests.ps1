BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $folder = New-TestFolder
    $fused = @(Merge-Detection -Path (Join-Path $SampleFolder 'yolox.json'), (Join-Path $SampleFolder 'detr.json'))
}

AfterAll { Remove-Item $folder -Recurse -Force }

Describe 'Export-Submission -Decimals' {
    It 'rounds boxes and scores as it writes, into a smaller file, and leaves the detections in the pipeline as they were' {
        $before = $fused | ForEach-Object { '{0:R} {1:R} {2:R}' -f $_.X, $_.Width, $_.Score }
        $full = Join-Path $folder 'full.json'
        $rounded = Join-Path $folder 'rounded.json'
        $fused | Export-Submission $full
        $fused | Export-Submission $rounded -Decimals 2
        (Get-Item $rounded).Length | Should -BeLessThan ((Get-Item $full).Length * 0.8)
        $text = Get-Content $rounded -Raw
        [regex]::Matches($text, '\d\.\d{3,}').Count | Should -Be 0 -Because 'no number has more than 2 decimals'
        $back = @(Import-Detection $rounded)
        $back.Count | Should -Be $fused.Count
        foreach ($i in 0, 1, 17, ($fused.Count - 1)) {
            $back[$i].X | Should -Be ([Math]::Round($fused[$i].X, 2, [MidpointRounding]::AwayFromZero))
            $back[$i].Height | Should -Be ([Math]::Round($fused[$i].Height, 2, [MidpointRounding]::AwayFromZero))
            $back[$i].Score | Should -Be ([Math]::Round($fused[$i].Score, 2, [MidpointRounding]::AwayFromZero))
        }
        $fused | ForEach-Object { '{0:R} {1:R} {2:R}' -f $_.X, $_.Width, $_.Score } | Should -Be $before
        $exact = @(Import-Detection $full)
        $exact[17].Score | Should -Be $fused[17].Score -Because 'without -Decimals every digit is kept'
    }

    It 'leaves out a box whose width rounds to 0, counted in the warning' {
        $thin = New-Detection -ImageId 1 -CategoryId 2 -Score 0.5 -X 10 -Y 10 -Width 0.004 -Height 5
        $wide = New-Detection -ImageId 1 -CategoryId 2 -Score 0.5 -X 10 -Y 10 -Width 4 -Height 5
        $target = Join-Path $folder 'thin.json'
        $thin, $wide | Export-Submission $target -Decimals 2 -WarningVariable warned -WarningAction SilentlyContinue
        @(Import-Detection $target).Count | Should -Be 1
        "$warned" | Should -Match '1 detections with zero or negative width or height \(rounded to 2 decimals\) were not written'
    }

    It 'rounds the exact binary value half away from zero, in plain short numbers, and leaves the default output as it was' {
        $d = New-Detection -ImageId 3 -CategoryId 1 -Score 0.125 -X 2.675 -Y 1e-7 -Width 12.5 -Height 99.995
        $rounded = Join-Path $folder 'exact.json'
        $full = Join-Path $folder 'exact-full.json'
        $d | Export-Submission $rounded -Decimals 2
        $d | Export-Submission $full
        # 2.675 is held as 2.67499999999999982..., so 2.67 (Math.Round's scaled product gave 2.68); 0.125 is a true half.
        Get-Content $rounded -Raw | Should -BeExactly "[`n{`"image_id`":3,`"category_id`":1,`"bbox`":[2.67,0,12.5,100],`"score`":0.13}`n]`n"
        Get-Content $full -Raw | Should -BeExactly "[`n{`"image_id`":3,`"category_id`":1,`"bbox`":[2.675,1E-07,12.5,99.995],`"score`":0.125}`n]`n"
        $d | Export-Submission $rounded -Decimals 8 -Force
        Get-Content $rounded -Raw | Should -Match '"bbox":\[2\.675,0\.0000001,12\.5,99\.995\]'
    }

    It 'accepts 0 to 15 decimals' {
        { $fused[0] | Export-Submission (Join-Path $folder 'x.json') -Decimals 16 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportSubmissionCommand'
        { $fused[0] | Export-Submission (Join-Path $folder 'x.json') -Decimals -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportSubmissionCommand'
        $fused[0] | Export-Submission (Join-Path $folder 'zero.json') -Decimals 0
        Get-Content (Join-Path $folder 'zero.json') -Raw | Should -Match '"bbox":\[\d+,\d+,\d+,\d+\],"score":[01]\}'
    }
}
